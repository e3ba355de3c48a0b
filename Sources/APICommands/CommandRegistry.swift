import Synchronization

/// The API commands every front end shares. Names are matched case-insensitively.
public final class CommandRegistry: Sendable {
    private let commands = Mutex<[String: APICommand]>([:])

    public init() {}

    public func register(_ command: APICommand) {
        commands.withLock { $0[command.name.lowercased()] = command }
    }

    public func command(named name: String) -> APICommand? {
        commands.withLock { $0[name.lowercased()] }
    }

    public var all: [APICommand] {
        commands.withLock { $0.values.sorted { $0.name < $1.name } }
    }

    /// Runs `name arguments`; nil when no such command exists.
    public func execute(name: String, arguments: String, context: APICallContext = .none) -> String? {
        command(named: name)?.run(arguments, context: context)
    }

    /// Runs a whole command line (`distributor 2gw gw1`), answering an unknown command the
    /// way FreeSWITCH's event socket does.
    public func execute(line: String) -> String {
        let (name, arguments) = Self.splitCommandLine(line)
        return execute(name: name, arguments: arguments) ?? "-ERR \(name) Command not found!\n"
    }

    /// `"sofia profile x"` -> `("sofia", "profile x")`: the name ends at the first space.
    public static func splitCommandLine(_ line: String) -> (name: String, arguments: String) {
        // By bytes: a space is ASCII, and a character search would walk grapheme clusters.
        var text = Substring(line)
        while text.utf8.first == UInt8(ascii: " ") { text = text[text.utf8.index(after: text.startIndex)...] }
        guard let space = text.utf8.firstIndex(of: UInt8(ascii: " ")) else { return (String(text), "") }
        var arguments = text[text.utf8.index(after: space)...]
        while arguments.utf8.first == UInt8(ascii: " ") { arguments = arguments[arguments.utf8.index(after: arguments.startIndex)...] }
        return (String(text[..<space]), String(arguments))
    }
}
