/// One problem found while loading configuration.
///
/// Warnings are things FreeSWITCH skips and goes on (a node with a bad weight); errors stop the
/// load (an unclosed tag, an include cycle), and a reload that meets one keeps the running config.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case warning
        case error
    }

    public let severity: Severity
    public let location: SourceLocation?
    /// The element as a person would find it in the file, e.g. `<node name="gw2">`.
    public let element: String?
    public let message: String

    public init(_ severity: Severity, at location: SourceLocation?, element: String? = nil, _ message: String) {
        self.severity = severity
        self.location = location
        self.element = element
        self.message = message
    }

    public static func warning(_ message: String, at element: XMLElement) -> Diagnostic {
        Diagnostic(.warning, at: element.location, element: element.summary, message)
    }

    public static func error(_ message: String, at element: XMLElement) -> Diagnostic {
        Diagnostic(.error, at: element.location, element: element.summary, message)
    }

    /// `conf/autoload_configs/distributor.conf.xml:7: <node name="gw2">: weight "abc" is not ...`
    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location.description) }
        if let element { parts.append(element) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

extension Array where Element == Diagnostic {
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
