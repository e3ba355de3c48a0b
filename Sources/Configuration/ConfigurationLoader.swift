#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XMLConfig

/// Loads a FreeSWITCH-style tree:
///
///     conf/vars.xml                       optional, pre-processor variables
///     conf/autoload_configs/*.conf.xml    distributor.conf, event_socket.conf, acl.conf
///     conf/sip_profiles/*.xml             one <profile> each, gateways usually included
///     dialplan/*.xml                      <context> elements with their extensions
///
/// Every file is read even after an error, so that one run reports every problem.
public struct ConfigurationLoader: Sendable {
    public let configurationDirectory: String
    public let dialplanDirectory: String

    public init(configurationDirectory: String = "conf", dialplanDirectory: String = "dialplan") {
        self.configurationDirectory = configurationDirectory
        self.dialplanDirectory = dialplanDirectory
    }

    public func load() -> Configuration {
        var preProcessor = PreProcessor(variables: builtInVariables())
        var configuration = Configuration()
        var diagnostics: [Diagnostic] = []

        if !isDirectory(configurationDirectory) {
            diagnostics.append(Diagnostic(.error, at: SourceLocation(file: PreProcessor.normalize(configurationDirectory), line: 0),
                                          "configuration directory not found"))
        }
        let vars = configurationDirectory + "/vars.xml"
        if access(vars, F_OK) == 0 {
            _ = preProcessor.load(file: vars)
        }

        var sawDistributor = false
        for file in files(in: configurationDirectory + "/autoload_configs") {
            for element in preProcessor.load(file: file) {
                guard element.name == "configuration" else {
                    diagnostics.append(.warning("expected <configuration>; element ignored", at: element))
                    continue
                }
                switch element[attribute: "name"] {
                case "distributor.conf":
                    sawDistributor = true
                    configuration.distributor = DistributorConfiguration.read(element, into: &diagnostics)
                case "event_socket.conf":
                    configuration.eventSocket = EventSocketConfiguration.read(element, into: &diagnostics)
                case "metrics.conf":
                    configuration.metrics = MetricsConfiguration.read(element, into: &diagnostics)
                case "acl.conf":
                    configuration.accessControlLists += AccessControlList.readAll(element, into: &diagnostics)
                default:
                    break
                }
            }
        }
        if !sawDistributor {
            diagnostics.append(Diagnostic(.warning, at: SourceLocation(file: PreProcessor.normalize(configurationDirectory + "/autoload_configs"), line: 0),
                                          "no distributor.conf found; there are no distributor lists"))
        }
        configuration.accessControlLists += AccessControlList.builtIn.filter { builtIn in
            !configuration.accessControlLists.contains { $0.name == builtIn.name }
        }

        for file in files(in: configurationDirectory + "/sip_profiles") {
            for element in preProcessor.load(file: file) {
                guard element.name == "profile" else {
                    diagnostics.append(.warning("expected <profile>; element ignored", at: element))
                    continue
                }
                guard let profile = SIPProfile.read(element, into: &diagnostics) else { continue }
                if configuration.profiles.contains(where: { $0.name == profile.name }) {
                    diagnostics.append(.error("a profile named \"\(profile.name)\" already exists", at: element))
                    continue
                }
                configuration.profiles.append(profile)
            }
        }
        let metrics = configuration.metrics
        // Checked even when disabled: a reload cannot turn the running listener off.
        if configuration.accessControlList(named: metrics.applyInboundACL) == nil {
            diagnostics.append(Diagnostic(.error, at: metrics.applyInboundACLLocation, element: "<param name=\"apply-inbound-acl\">",
                                          "no ACL list named \"\(metrics.applyInboundACL)\" in acl.conf"))
        }
        for profile in configuration.profiles {
            if let acl = profile.inboundACL, configuration.accessControlList(named: acl) == nil {
                diagnostics.append(Diagnostic(.error, at: profile.settings.parameter("apply-inbound-acl")?.location,
                                              element: "<param name=\"apply-inbound-acl\">", "no ACL list named \"\(acl)\" in acl.conf"))
            }
        }

        if !isDirectory(dialplanDirectory) {
            diagnostics.append(Diagnostic(.warning, at: SourceLocation(file: PreProcessor.normalize(dialplanDirectory), line: 0),
                                          "dialplan directory not found; every call gets 404"))
        }
        for file in files(in: dialplanDirectory) {
            for element in preProcessor.load(file: file) {
                readContexts(element, into: &configuration.dialplan, diagnostics: &diagnostics)
            }
        }

        configuration.variables = preProcessor.variables
        configuration.diagnostics = preProcessor.diagnostics + diagnostics
        return configuration
    }

    private func readContexts(_ element: XMLElement, into contexts: inout [DialplanContext], diagnostics: inout [Diagnostic]) {
        switch element.name {
        case "context":
            guard let name = element[attribute: "name"], !name.isEmpty else {
                diagnostics.append(.warning("missing attribute \"name\"; context skipped", at: element))
                return
            }
            let extensions = element.children(named: "extension")
            if let index = contexts.firstIndex(where: { $0.name == name }) {
                let merged = contexts[index]
                contexts[index] = DialplanContext(name: name, extensions: merged.extensions + extensions, location: merged.location)
            } else {
                contexts.append(DialplanContext(name: name, extensions: extensions, location: element.location))
            }
        case "section", "document":
            for child in element.children { readContexts(child, into: &contexts, diagnostics: &diagnostics) }
        default:
            diagnostics.append(.warning("expected <context>; element ignored", at: element))
        }
    }

    private func builtInVariables() -> [String: String] {
        var name = [CChar](repeating: 0, count: 256)
        let hostname = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return [
            "hostname": hostname,
            "local_ip_v4": "127.0.0.1",
            "local_ip_v6": "::1",
            "domain": "127.0.0.1",
            "conf_dir": configurationDirectory,
        ]
    }

    /// The `*.xml` files of a directory, sorted, as FreeSWITCH's include globs give them.
    private func files(in directory: String) -> [String] {
        PreProcessor.glob(directory + "/*.xml")
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
