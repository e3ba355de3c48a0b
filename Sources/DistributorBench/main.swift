import Configuration
import Control
import Dialplan
import Distributor
import Foundation
import Logging
import SIPMessage

// Microbenchmarks, run by hand in a release build from the repository root: swift run -c release
// distributor-bench [pick|sip|dialplan|call] [--iterations N] [--calls N] [--in-flight N] (pick, sip and dialplan
// by default; call only when named). Each pick figure is the mean over whole cycles, so every
// node's credit is spent the same number of times.

let arguments = CommandLine.arguments.dropFirst()
let sections = Set(arguments.filter { ["pick", "sip", "dialplan", "call"].contains($0) })
/// The positive number after `name`, if given.
func option(_ name: String) -> Int? {
    guard let flag = arguments.firstIndex(of: name), arguments.index(after: flag) < arguments.endIndex,
          let value = Int(arguments[arguments.index(after: flag)]), value > 0 else { return nil }
    return value
}
let iterations = option("--iterations") ?? 200_000
let inFlight = option("--in-flight") ?? 1
let calls = option("--calls") ?? 2_000
func runs(_ section: String) -> Bool { sections.isEmpty ? section != "call" : sections.contains(section) }

func measurePick(nodes: Int, weight: Int, cycles: Int, exclusions: [String] = []) -> Double {
    var list = WeightedList(name: "bench", nodes: (0..<nodes).map { WeightedNode(name: "gw\($0)", weight: weight) })
    let picks = nodes * weight * cycles
    var checksum = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<picks {
        checksum &+= list.pick(excluding: exclusions)?.weight ?? 0
    }
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    precondition(checksum == (exclusions.isEmpty ? picks * weight : checksum))
    return Double(elapsed) / Double(picks)
}

func measureRegistry(nodes: Int, picks: Int) -> Double {
    let registry = DistributorRegistry(lists: [WeightedList(name: "bench", nodes: (0..<nodes).map { WeightedNode(name: "gw\($0)", weight: 1) })])
    let start = DispatchTime.now().uptimeNanoseconds
    var total = 0
    for _ in 0..<picks { total &+= registry.pick(list: "bench")?.utf8.count ?? 0 }
    precondition(total > 0)
    return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(picks)
}

if runs("pick") {
    print("distributor pick, mean ns per pick (release build)")
    print(String(format: "  WeightedList, 2 nodes (1,1), 1,000,000 cycles:        %8.1f", measurePick(nodes: 2, weight: 1, cycles: 1_000_000)))
    print(String(format: "  WeightedList, 10,000 nodes weight 3, 100 cycles:      %8.1f", measurePick(nodes: 10_000, weight: 3, cycles: 100)))
    print(String(format: "  WeightedList, 10,000 nodes, 2 excluded, 100 cycles:   %8.1f", measurePick(nodes: 10_000, weight: 1, cycles: 100, exclusions: ["gw1", "gw5000"])))
    print(String(format: "  DistributorRegistry (lock + lookup), 2 nodes:         %8.1f", measureRegistry(nodes: 2, picks: 2_000_000)))
    print(String(format: "  DistributorRegistry (lock + lookup), 10,000 nodes:    %8.1f", measureRegistry(nodes: 10_000, picks: 2_000_000)))
}

// SIP message parse and serialize.
func measure(_ label: String, iterations: Int, _ body: () -> Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    var checksum = 0
    for _ in 0..<iterations { checksum &+= body() }
    let nanoseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
    precondition(checksum != 0)
    print(String(format: "  %@ %8.0f ns  (%.0f/s)", label.padding(toLength: 52, withPad: " ", startingAt: 0), nanoseconds, 1e9 / nanoseconds))
}

let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
let inviteText = "INVITE sip:1004@127.0.0.1:5080 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1---7c8a3f;rport\r\nMax-Forwards: 70\r\nContact: <sip:1003@127.0.0.1:5060>\r\nTo: <sip:1004@127.0.0.1>\r\nFrom: \"Alice\" <sip:1003@127.0.0.1:5060>;tag=a73kszlfl\r\nCall-ID: 1-12345@127.0.0.1\r\nCSeq: 1 INVITE\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\nContent-Type: application/sdp\r\nUser-Agent: bench\r\nContent-Length: \(sdp.utf8.count)\r\n\r\n\(sdp)"
let okText = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1---7c8a3f;rport=5060;received=127.0.0.1\r\nContact: <sip:1004@127.0.0.1:5091>\r\nTo: <sip:1004@127.0.0.1>;tag=1410948204\r\nFrom: \"Alice\" <sip:1003@127.0.0.1:5060>;tag=a73kszlfl\r\nCall-ID: 1-12345@127.0.0.1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: \(sdp.utf8.count)\r\n\r\n\(sdp)"
let inviteBytes = Array(inviteText.utf8)
let okBytes = Array(okText.utf8)
guard case .message(let parsedInvite) = SIPParser.parse(inviteBytes), case .message(let parsedOK) = SIPParser.parse(okBytes) else {
    fatalError("benchmark messages do not parse")
}
if runs("sip") {
    print("SIP messages, mean per message (release build)")
    measure("parse INVITE with SDP (\(inviteBytes.count) bytes)", iterations: iterations) {
        if case .message = SIPParser.parse(inviteBytes) { return 1 } else { return 0 }
    }
    measure("parse 200 OK with SDP (\(okBytes.count) bytes)", iterations: iterations) {
        if case .message = SIPParser.parse(okBytes) { return 1 } else { return 0 }
    }
    measure("serialize INVITE with SDP", iterations: iterations) { parsedInvite.serialized().count }
    measure("serialize 200 OK with SDP", iterations: iterations) { parsedOK.serialized().count }
}

// A dialplan hunt with expansion: the bundled 9980 extension (regex condition, two set actions,
// a bridge whose data expands ${distributor(2gw)} through the API command registry), from a
// new session to its first external step, as a call runs it.
if runs("dialplan") {
    var quiet = Logger(label: "bench")
    quiet.logLevel = .critical
    let loader = ConfigurationLoader(configurationDirectory: "conf", dialplanDirectory: "dialplan")
    let runtime = ServiceRuntime(loader: loader, configuration: loader.load(), logger: quiet)
    let environment = runtime.dialplanEnvironment(externalApplications: ["bridge"])
    print("dialplan, mean per call (release build, bundled dialplan; run from the repository root)")
    measure("hunt 9980, expand bridge ${distributor(2gw)}", iterations: iterations) {
        var session = DialplanSession(caller: CallerProfile(destinationNumber: "9980", callerIDNumber: "1003", context: "default"),
                                      environment: environment)
        guard case .execute("bridge", let data, _) = session.start() else { return 0 }
        return data.utf8.count
    }
}

// The whole call path in this process (CallPathBench): calls placed one at a time through the
// bundled external profile on one event-loop thread, by a caller and two gateways on 127.0.0.1.
if runs("call") {
    print("call path, CPU per call of the service and its peers (release build, bundled tree, one event-loop thread, peers in this process)")
    do {
        let nanoseconds = try CallPathBench.run(calls: calls, inFlight: inFlight, warmUp: 200)
        print(String(format: "  %@ %8.0f ns  (%.0f/s)", "\(calls) calls, \(inFlight) in flight".padding(toLength: 52, withPad: " ", startingAt: 0),
                     nanoseconds, 1e9 / nanoseconds))
    } catch {
        print("  the call path failed: \(error)")
        exit(1)
    }
}
