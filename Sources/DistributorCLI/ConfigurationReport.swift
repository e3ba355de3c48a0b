import Configuration
import Foundation

/// The human summary `distributor check` prints: profiles, gateways, lists with each node's
/// share, and the dialplan's contexts and extensions.
struct ConfigurationReport {
    let text: String

    init(_ configuration: Configuration) {
        var lines: [String] = []
        lines.append("Profiles:")
        if configuration.profiles.isEmpty { lines.append("  (none)") }
        for profile in configuration.profiles {
            lines.append("  \(profile.name)  sip:\(profile.sipIP):\(profile.sipPort)  context=\(profile.context)  acl=\(profile.inboundACL ?? "(none)")  \(profile.location)")
            for gateway in profile.gateways {
                let ping = gateway.parameters["ping"].map { "ping=\($0)s" } ?? "ping=off"
                lines.append("    gateway \(gateway.name)  proxy=\(gateway.proxy)  register=\(gateway.registers)  \(ping)  \(gateway.location)")
            }
        }
        lines.append("Distributor lists:")
        let lists = configuration.distributor?.lists ?? []
        if lists.isEmpty { lines.append("  (none)") }
        for list in lists {
            lines.append("  \(list.name)  total weight \(list.totalWeight)  \(list.location)")
            for node in list.nodes {
                let share = Double(node.weight) * 100 / Double(max(list.totalWeight, 1))
                lines.append("    \(node.name)  weight \(node.weight)  \(String(format: "%.1f", share))%")
            }
        }
        lines.append("Dialplan:")
        if configuration.dialplan.isEmpty { lines.append("  (none)") }
        for context in configuration.dialplan {
            lines.append("  context \(context.name)  \(context.location)")
            for element in context.extensions {
                lines.append("    extension \(element[attribute: "name"] ?? "(unnamed)")  \(element.location)")
            }
        }
        text = lines.joined(separator: "\n") + "\n"
    }
}
