#if canImport(Glibc)
import Glibc
#endif
import APICommands
import Configuration

/// The `sofia` API command, with FreeSWITCH's output: `sofia status`, `sofia status gateway
/// <name>`, `sofia profile <p> gwlist [up|down]`, `killgw`, `rescan`, `restart`.
public enum SofiaCommands {
    public static func register(in commands: CommandRegistry, gateways: GatewayManager,
                                configuration: @escaping @Sendable () -> Configuration) {
        commands.register(APICommand(name: "sofia", syntax: "status [gateway <name>] | profile <profile> gwlist [up|down]|killgw <name>|rescan|restart",
                                     summary: "Sofia profiles and gateways") { arguments in
            run(ArgumentSplitter.split(arguments), gateways: gateways, configuration: configuration)
        })
    }

    static let usage = "-ERR Usage: sofia status [gateway <name>] | sofia profile <profile> gwlist [up|down]|killgw <name>|rescan|restart\n"
    static let rule = String(repeating: "=", count: 97) + "\n"

    static func run(_ words: [String], gateways: GatewayManager, configuration: () -> Configuration) -> String {
        switch words.first?.lowercased() {
        case "status":
            if words.count >= 3, words[1].lowercased() == "gateway" {
                return gatewayStatus(words[2], gateways: gateways)
            }
            return status(gateways, configuration: configuration())
        case "profile":
            guard words.count >= 3 else { return usage }
            let profile = words[1]
            guard gateways.hasProfile(profile) else { return "Invalid Profile [\(profile)]" }
            switch words[2].lowercased() {
            case "gwlist":
                let wantDown = words.count > 3 && words[3].lowercased() == "down"
                return gateways.names(profile: profile, up: !wantDown)
                    .map { $0 + " " }
                    .joined()
            case "killgw":
                guard words.count > 3 else { return "-ERR missing gateway name\n" }
                return gateways.kill(words[3], profile: profile) ? "+OK gateway marked for deletion.\n" : "-ERR no such gateway.\n"
            case "rescan":
                gateways.rescan(profile: profile, from: configuration())
                return "+OK scan complete\n"
            case "restart":
                _ = gateways.restart(profile: profile, from: configuration())
                return "restarting: \(profile)\n"
            default:
                return usage
            }
        default:
            return usage
        }
    }

    static func status(_ gateways: GatewayManager, configuration: Configuration) -> String {
        var text = pad("Name", 25) + "\t" + pad("Type", 7) + "\t" + pad("Data", 40) + "\tState\n" + rule
        var profileCount = 0
        for profile in configuration.profiles where gateways.hasProfile(profile.name) {
            profileCount += 1
            text += pad(profile.name, 25) + "\t" + pad("profile", 7) + "\t" + pad("sip:mod_sofia@\(profile.sipIP):\(profile.sipPort)", 40) + "\tRUNNING (0)\n"
            for name in gateways.names(profile: profile.name) {
                guard let record = gateways.snapshot(name) else { continue }
                let data = "sip:\(record.settings.username)@\(record.settings.proxy)"
                text += pad("\(profile.name)::\(name)", 25) + "\t" + pad("gateway", 7) + "\t" + pad(data, 40) + "\t\(record.state.rawValue)\n"
            }
        }
        text += rule + "\(profileCount) profile\(profileCount == 1 ? "" : "s") 0 aliases\n"
        return text
    }

    static func gatewayStatus(_ name: String, gateways: GatewayManager) -> String {
        guard let record = gateways.snapshot(name) else { return "Invalid Gateway!\n" }
        let settings = record.settings
        let counters = record.counters.value
        let now = gateways.uptime
        let epoch = Int(time(nil))
        let nextPing = record.pinger.map { epoch + Int(($0.nextPing - now).components.seconds) } ?? 0
        let pingTime = record.pinger?.lastRoundTrip?.inMilliseconds ?? 0
        var contact = "sip:gw+\(settings.name)@\(settings.proxy);transport=\(settings.registerTransport);gw=\(settings.name)"
        if let parameters = settings.contactParams { contact = "sip:gw+\(settings.name)@\(settings.proxy);\(parameters);transport=\(settings.registerTransport);gw=\(settings.name)" }
        let pinging = record.pinger?.outstanding == true ? " (ping)" : ""
        let rows: [(String, String)] = [
            ("Name    ", settings.name),
            ("Profile ", settings.profile),
            ("Scheme  ", "Digest"),
            ("Realm   ", settings.realm),
            ("Username", settings.username),
            ("Password", settings.password.isEmpty ? "no" : "yes"),
            ("From    ", "<sip:\(settings.fromUser)@\(settings.fromDomain ?? settings.proxy)>"),
            ("Contact ", "<\(contact)>"),
            ("Exten   ", settings.extension),
            ("To      ", "sip:\(settings.extension)@\(settings.proxy)"),
            ("Proxy   ", "sip:\(settings.proxy)"),
            ("Context ", settings.context),
            ("Expires ", String(settings.expireSeconds)),
            ("Freq    ", String(settings.registers ? settings.expireSeconds : 0)),
            ("Ping    ", String(nextPing)),
            ("PingFreq", String(settings.ping)),
            ("PingTime", String(format2: pingTime)),
            ("PingState", record.pinger?.pingState ?? "\(settings.pingMin)/0/\(settings.pingMax)"),
            ("State   ", record.state.rawValue),
            ("Status  ", record.status.rawValue + pinging),
            ("Uptime  ", "\(record.status == .up ? (now - record.statusSince).components.seconds : 0)s"),
            ("CallsIN ", String(counters.callsIn)),
            ("CallsOUT", String(counters.callsOut)),
            ("FailedCallsIN", String(counters.failedCallsIn)),
            ("FailedCallsOUT", String(counters.failedCallsOut)),
        ]
        return rule + rows.map { "\($0.0)\t\($0.1)\n" }.joined() + rule
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

extension String {
    /// Two decimals, as FreeSWITCH's `%.2f`.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = abs(hundredths % 100)
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
