import XMLConfig

/// A `<gateway>` as written: its parameters and variables, checked for what makes FreeSWITCH
/// skip a gateway. The gateways layer turns it into a running gateway with its defaults.
public struct GatewayDefinition: Hashable, Sendable {
    public struct Variable: Hashable, Sendable {
        public enum Direction: String, Hashable, Sendable {
            case inbound, outbound, both
        }

        public let name: String
        public let value: String
        public let direction: Direction

        public init(name: String, value: String, direction: Direction) {
            self.name = name
            self.value = value
            self.direction = direction
        }
    }

    public let name: String
    public let parameters: SettingsParameters
    public let variables: [Variable]
    public let location: SourceLocation

    /// FreeSWITCH's `register` defaults to true.
    public var registers: Bool { parameters["register"].map(switchTrue) ?? true }

    /// `proxy`, else `realm`, else the gateway name (FreeSWITCH's fallbacks).
    public var proxy: String { parameters["proxy"] ?? parameters["realm"] ?? name }

    static func read(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> GatewayDefinition? {
        guard let name = element[attribute: "name"], !name.isEmpty else {
            diagnostics.append(.warning("missing attribute \"name\"; gateway skipped", at: element))
            return nil
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) else {
            diagnostics.append(.warning("gateway name may only hold letters, digits, '_', '.' and '-'; gateway skipped", at: element))
            return nil
        }
        let parameters = SettingsParameters.read(element, into: &diagnostics)
        let definition = GatewayDefinition(name: name, parameters: parameters,
                                           variables: readVariables(element, into: &diagnostics), location: element.location)
        if definition.registers {
            let missing = ["username", "password"].filter { (parameters[$0] ?? "").isEmpty }
            if !missing.isEmpty {
                diagnostics.append(.warning("register is true but \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") missing; gateway skipped", at: element))
                return nil
            }
        }
        return definition
    }

    private static func readVariables(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> [Variable] {
        var variables: [Variable] = []
        for container in element.children(named: "variables") {
            for variable in container.children(named: "variable") {
                guard let name = variable[attribute: "name"], let value = variable[attribute: "value"] else {
                    diagnostics.append(.warning("a variable needs name and value; skipped", at: variable))
                    continue
                }
                let direction = variable[attribute: "direction"].flatMap { Variable.Direction(rawValue: $0.lowercased()) } ?? .both
                variables.append(Variable(name: name, value: value, direction: direction))
            }
        }
        return variables
    }
}
