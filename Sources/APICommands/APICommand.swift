/// A FreeSWITCH API command: `distributor 2gw`, `sofia profile external gwlist down`...
/// It takes the text after its name and returns its reply body verbatim (newline or not, as
/// FreeSWITCH writes it), so that the dialplan, the event socket and the CLI all see one text.
public struct APICommand: Sendable {
    public let name: String
    public let syntax: String
    public let summary: String
    private let body: @Sendable (_ arguments: String, _ context: APICallContext) -> String

    public init(name: String, syntax: String, summary: String, run: @escaping @Sendable (_ arguments: String) -> String) {
        self.init(name: name, syntax: syntax, summary: summary) { arguments, _ in run(arguments) }
    }

    /// A command that reads the calling channel's variables when a call runs it.
    public init(name: String, syntax: String, summary: String,
                run: @escaping @Sendable (_ arguments: String, _ context: APICallContext) -> String) {
        self.name = name
        self.syntax = syntax
        self.summary = summary
        body = run
    }

    public func run(_ arguments: String, context: APICallContext = .none) -> String {
        body(arguments, context)
    }
}

/// Who runs a command: a call (with its channel variables) or nobody in particular.
public struct APICallContext: Sendable {
    public let variable: @Sendable (String) -> String?

    public init(variable: @escaping @Sendable (String) -> String?) {
        self.variable = variable
    }

    public static let none = APICallContext { _ in nil }
}
