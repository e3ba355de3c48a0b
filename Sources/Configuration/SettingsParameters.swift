import XMLConfig

/// The `<param name=".." value=".."/>` children of a settings-like element, in document order.
public struct SettingsParameters: Hashable, Sendable {
    public struct Parameter: Hashable, Sendable {
        public let name: String
        public let value: String
        public let location: SourceLocation
    }

    public let parameters: [Parameter]

    public init(parameters: [Parameter] = []) {
        self.parameters = parameters
    }

    /// The last value given for the name wins, as in FreeSWITCH's parameter loops.
    public subscript(name: String) -> String? {
        parameters.last { $0.name == name }?.value
    }

    public func parameter(_ name: String) -> Parameter? {
        parameters.last { $0.name == name }
    }

    static func read(_ element: XMLElement?, into diagnostics: inout [Diagnostic]) -> SettingsParameters {
        guard let element else { return SettingsParameters() }
        var parameters: [Parameter] = []
        for param in element.children(named: "param") {
            guard let name = param[attribute: "name"] else {
                diagnostics.append(.warning("missing attribute \"name\"; parameter skipped", at: param))
                continue
            }
            guard let value = param[attribute: "value"] else {
                diagnostics.append(.warning("missing attribute \"value\"; parameter skipped", at: param))
                continue
            }
            parameters.append(Parameter(name: name, value: value, location: param.location))
        }
        return SettingsParameters(parameters: parameters)
    }

}

extension SettingsParameters.Parameter {
    /// The value as a whole number in `range`, or nil with an error naming the file, line and
    /// parameter.
    func integer(in range: ClosedRange<Int>, meaning: String, into diagnostics: inout [Diagnostic]) -> Int? {
        guard let number = Int(value), range.contains(number) else {
            diagnostics.append(Diagnostic(.error, at: location, element: "<param name=\"\(name)\">",
                                          "\"\(value)\" is not \(meaning) (\(range.lowerBound)-\(range.upperBound))"))
            return nil
        }
        return number
    }
}
