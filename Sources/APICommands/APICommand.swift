/// A FreeSWITCH API command: `distributor 2gw`, `sofia profile external gwlist down`...
/// It takes the text after its name and returns its reply body verbatim (newline or not, as
/// FreeSWITCH writes it), so that the dialplan, the event socket and the CLI all see one text.
public struct APICommand: Sendable {
    public let name: String
    public let syntax: String
    public let summary: String
    public let run: @Sendable (_ arguments: String) -> String

    public init(name: String, syntax: String, summary: String, run: @escaping @Sendable (_ arguments: String) -> String) {
        self.name = name
        self.syntax = syntax
        self.summary = summary
        self.run = run
    }
}
