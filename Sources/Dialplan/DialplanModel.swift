import XMLConfig

/// What a condition's `break` attribute says to do after it is evaluated.
public enum BreakMode: Sendable {
    case onFalse, onTrue, always, never

    /// Unknown values behave as `on-false`, FreeSWITCH's default.
    init(attribute: String?) {
        switch attribute?.lowercased() {
        case "on-true": self = .onTrue
        case "always": self = .always
        case "never": self = .never
        default: self = .onFalse
        }
    }
}

/// An `<action>` or `<anti-action>`, its data kept unexpanded until it runs.
public struct DialplanAction: Sendable {
    public let application: String
    public let data: String
    public let inline: Bool
    public let loop: Int
    public let location: SourceLocation
}

/// A `field` tested against an `expression`.
public struct FieldTest: Sendable {
    public let field: String
    public let expression: String
    /// Compiled once when the expression has no `${...}` to expand at hunt time.
    public let regex: DialplanRegex?
}

public struct DialplanCondition: Sendable {
    public enum Test: Sendable {
        case always
        case field(FieldTest)
        case time(TimeCondition)
        case all([FieldTest])
        case any([FieldTest])
        case xor([FieldTest])
    }

    public let test: Test
    public let breakMode: BreakMode
    public let actions: [DialplanAction]
    public let antiActions: [DialplanAction]
    public let location: SourceLocation
}

public struct DialplanExtension: Sendable {
    public let name: String
    public let continues: Bool
    public let conditions: [DialplanCondition]
    public let location: SourceLocation
}
