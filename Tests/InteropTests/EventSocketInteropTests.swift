import Foundation
import TestSupport
import Testing

/// The event socket of `distributor serve`, byte for byte, and with an ESL library from PyPI.
@Suite(.serialized)
struct EventSocketInteropTests {
    @Test func protocolRepliesByteForByte() throws {
        let service = try ServiceProcess()
        defer { service.stop() }
        let client = try ESLTestClient(port: service.eslPort)
        let greeting = "Content-Type: auth/request\n\n"
        #expect(client.read(greeting.utf8.count) == greeting)
        client.send("api status\n\n")
        let notFound = "Content-Type: command/reply\nReply-Text: -ERR command not found\n\n"
        #expect(client.read(notFound.utf8.count) == notFound)
        client.send("auth ClueCon\n\n")
        let accepted = "Content-Type: command/reply\nReply-Text: +OK accepted\n\n"
        #expect(client.read(accepted.utf8.count) == accepted)
        client.send("api distributor nosuchlist\n\n")
        let err = "Content-Type: api/response\nContent-Length: 4\n\n-err"
        #expect(client.read(err.utf8.count) == err)
        client.send("api distributor 2gw\n\n")
        let gw1 = "Content-Type: api/response\nContent-Length: 3\n\ngw1"
        #expect(client.read(gw1.utf8.count) == gw1)
        client.send("api sofia profile external gwlist down\n\n")
        let empty = "Content-Type: api/response\nContent-Length: 14\n\n-ERR no reply\n"
        #expect(client.read(empty.utf8.count) == empty)
        client.send("api bogus\n\n")
        let bogus = "Content-Type: api/response\nContent-Length: 30\n\n-ERR bogus Command not found!\n"
        #expect(client.read(bogus.utf8.count) == bogus)
        client.send("event plain\n\n")
        let noKeywords = "Content-Type: command/reply\nReply-Text: -ERR no keywords supplied\n\n"
        #expect(client.read(noKeywords.utf8.count) == noKeywords)
        client.send("event plain CUSTOM sofia::gateway_state\n\n")
        let enabled = "Content-Type: command/reply\nReply-Text: +OK event listener enabled plain\n\n"
        #expect(client.read(enabled.utf8.count) == enabled)
        client.send("noevents\n\n")
        let stopped = "Content-Type: command/reply\nReply-Text: +OK no longer listening for events\n\n"
        #expect(client.read(stopped.utf8.count) == stopped)
        client.send("bgapi distributor 2gw\nJob-UUID: job-1\n\n")
        let job = "Content-Type: command/reply\nReply-Text: +OK Job-UUID: job-1\nJob-UUID: job-1\n\n"
        #expect(client.read(job.utf8.count) == job)
        client.send("exit\n\n")
        let bye = "Content-Type: command/reply\nReply-Text: +OK bye\n\n"
            + "Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
        #expect(client.read(bye.utf8.count) == bye)

        let wrong = try ESLTestClient(port: service.eslPort)
        _ = wrong.read(greeting.utf8.count)
        wrong.send("auth nope\n\n")
        let invalid = "Content-Type: command/reply\nReply-Text: -ERR invalid\n\n"
        #expect(wrong.read(invalid.utf8.count + 10) == invalid)
    }

    @Test func gatewayStateEventsReachSubscribers() throws {
        let silent = try UDPSocket()
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw9.xml": """
                <include><gateway name="gw9"><param name="proxy" value="127.0.0.1:\(silent.port)"/>
                <param name="register" value="false"/><param name="ping" value="5"/></gateway></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"50\"/>")
        defer { service.stop() }
        let client = try ESLTestClient(port: service.eslPort)
        _ = client.read(28)
        client.send("auth ClueCon\n\nevent plain CUSTOM sofia::gateway_state\n\n")
        _ = client.read(52 + 73)
        var received = ""
        let deadline = Date().addingTimeInterval(15)
        while !received.contains("Ping-Status: DOWN") && Date() < deadline { received += client.read(1) }
        #expect(received.contains("Content-Type: text/event-plain"))
        #expect(received.contains("Event-Name: CUSTOM\nEvent-Subclass: sofia%3A%3Agateway_state\n"))
        #expect(received.contains("Gateway: gw9\n"))
        #expect(received.contains("Ping-Status: DOWN"))
    }

    @Test(.enabled(if: EventSocketInteropTests.hasGreenswitch, "the PyPI package greenswitch is not installed"))
    func greenswitchFromPyPIWorksUnchanged() throws {
        let silent = try UDPSocket()
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw9.xml": """
                <include><gateway name="gw9"><param name="proxy" value="127.0.0.1:\(silent.port)"/>
                <param name="register" value="false"/><param name="ping" value="5"/></gateway></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"50\"/>")
        defer { service.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepositoryPaths.root() + "/Tests/Interop/esl_client_check.py", String(service.eslPort), "ClueCon", "gw9"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        if process.waitForExit(seconds: 40) == nil { process.stop(grace: 2) }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("gwlist down before: '-ERR no reply\\n'"), "\(output)")
    }

    static var hasGreenswitch: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import greenswitch"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

@Suite struct EventSocketACLTests {
    @Test func clientsOutsideTheACLGetTheRudeRejection() throws {
        let service = try ServiceProcess(files: [
            "conf/autoload_configs/acl.conf.xml": """
                <configuration name="acl.conf"><network-lists>
                  <list name="callers" default="deny"><node type="allow" cidr="127.0.0.0/8"/></list>
                  <list name="admins" default="deny"><node type="allow" cidr="192.0.2.0/24"/></list>
                </network-lists></configuration>
                """,
        ], eventSocketSettings: "<param name=\"apply-inbound-acl\" value=\"admins\"/>")
        defer { service.stop() }
        let client = try ESLTestClient(port: service.eslPort)
        let rejection = "Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n"
        #expect(client.read(rejection.utf8.count + 10) == rejection)
    }
}

/// The event socket's own abuse limits: clients per address, and a block after failed auth.
@Suite(.serialized) struct EventSocketLimitTests {
    @Test func connectionsPerAddressAreCapped() throws {
        let service = try ServiceProcess(eventSocketSettings: "<param name=\"max-connections-per-source\" value=\"3\"/>")
        defer { service.stop() }
        var clients = try (0..<3).map { _ in try ESLTestClient(port: service.eslPort) }
        for client in clients { #expect(client.message().headers == "Content-Type: auth/request\n\n") }
        let extra = try ESLTestClient(port: service.eslPort)
        let refused = extra.message()
        #expect(refused.headers.hasPrefix("Content-Type: text/rude-rejection\n"))
        #expect(refused.body == "Too many connections from your address, try later.\n")
        try service.waitFor("refused: 3 clients from this address (max-connections-per-source)", seconds: 5)
        clients.removeFirst()
        // The server notices the close on its own loop; give it a bounded while.
        let deadline = Date().addingTimeInterval(5)
        var greeted = false
        while !greeted && Date() < deadline {
            greeted = try ESLTestClient(port: service.eslPort).message().headers == "Content-Type: auth/request\n\n"
            if !greeted { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(greeted)
    }

    @Test func repeatedFailedAuthBlocksTheAddressThenLetsItBackIn() throws {
        let service = try ServiceProcess(eventSocketSettings: """
            <param name="max-auth-failures" value="3"/><param name="auth-failure-block-seconds" value="4"/>
            """)
        defer { service.stop() }
        for _ in 0..<3 {
            let client = try ESLTestClient(port: service.eslPort)
            _ = client.message()
            client.send("auth guess\n\n")
            #expect(client.message().headers == "Content-Type: command/reply\nReply-Text: -ERR invalid\n\n")
        }
        try service.waitFor("event socket: 127.0.0.1 blocked for 4 s after 3 failed auth attempts", seconds: 5)
        let started = Date()
        let blocked = try ESLTestClient(port: service.eslPort).message()
        #expect(Date().timeIntervalSince(started) >= 1.5, "a blocked client waits before its rejection")
        #expect(blocked.body == "Too many failed auth attempts, try later.\n")
        try service.waitFor("refused: blocked for", seconds: 5)
        // Once the block is over, the right password works again.
        Thread.sleep(forTimeInterval: max(0, 4.2 - Date().timeIntervalSince(started)))
        let client = try ESLTestClient.authenticated(port: service.eslPort)
        #expect(client.api("version").hasPrefix("distributor version"))
    }
}
