import EventSocket
import Events
import Testing

struct ESLSessionTests {
    private func command(_ line: String, headers: [String: String] = [:]) -> ESLCommandReader.Command {
        var reader = ESLCommandReader()
        reader.append(Array((line + "\n" + headers.map { "\($0.key): \($0.value)\n" }.joined() + "\n").utf8))
        return try! reader.next()!
    }

    @Test func filtersAndFormats() {
        var session = ESLSession(password: "pw")
        _ = session.handle(command("auth pw"))
        let outputs = session.handle(command("event json CHANNEL_ANSWER CUSTOM sofia::gateway_state"))
        #expect(outputs.last == .write("Content-Type: command/reply\nReply-Text: +OK event listener enabled json\n\n"))
        #expect(session.filter.matches(name: "CHANNEL_ANSWER", subclass: nil))
        #expect(session.filter.matches(name: "CUSTOM", subclass: "sofia::gateway_state"))
        #expect(!session.filter.matches(name: "CUSTOM", subclass: "other"))
        #expect(!session.filter.matches(name: "CHANNEL_CREATE", subclass: nil))
        #expect(session.handle(command("event xml ALL")).count == 1)
    }

    @Test func eventWireForms() {
        let event = Event(name: "CUSTOM", subclass: "sofia::gateway_state", headers: [("Event-Name", "CUSTOM"), ("Gateway", "gw 1")], body: "x")
        #expect(ESLFraming.plain(event) == "Content-Length: 55\nContent-Type: text/event-plain\n\nEvent-Name: CUSTOM\nGateway: gw%201\nContent-Length: 1\n\nx")
        #expect(ESLFraming.json(event) == "Content-Length: 52\nContent-Type: text/event-json\n\n{\"Event-Name\":\"CUSTOM\",\"Gateway\":\"gw 1\",\"_body\":\"x\"}")
    }

    @Test func readerTakesBodiesAndPartialInput() throws {
        var reader = ESLCommandReader()
        reader.append(Array("bgapi status\nContent-Length: 3\n\nab".utf8))
        #expect(try reader.next() == nil)
        reader.append(Array("c".utf8))
        let next = try reader.next()
        #expect(next?.line == "bgapi status")
        #expect(next?.body == "abc")
    }
}
