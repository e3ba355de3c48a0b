import Foundation
import Logging
import LogFormatting
import Synchronization
import Testing

struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test func eachEntryIsOneParsableJSONObject() throws {
        let collected = Lines()
        var logger = Logger(label: "bridge/external") { label in
            JSONLogHandler(label: label, level: .info) { line in collected.lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "profile"] = "external"
        logger.debug("not shown")
        logger.warning("IP 192.0.2.1 rejected by ACL \"callers\"\n\tnext", metadata: ["call": "abc"])
        let lines = collected.lines.withLock { $0 }
        try #require(lines.count == 1)
        #expect(lines[0].hasSuffix("}\n") && !lines[0].dropLast().contains("\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(object["level"] == "warning")
        #expect(object["label"] == "bridge/external")
        #expect(object["message"] == "IP 192.0.2.1 rejected by ACL \"callers\"\n\tnext")
        #expect(object["profile"] == "external")
        #expect(object["call"] == "abc")
        #expect(object["time"].map { $0.count == 24 && $0.hasSuffix("Z") } == true)
    }
}
