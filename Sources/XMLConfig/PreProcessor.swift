#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import TextTrimming
#endif

/// FreeSWITCH's XML pre-processor: `<X-PRE-PROCESS cmd="include" data="GLOB"/>`,
/// `<X-PRE-PROCESS cmd="set" data="name=value"/>` and `$${name}` substitution.
///
/// FreeSWITCH pre-processes text line by line before parsing; here each file is parsed on its own
/// so that errors keep their own file and line, and the directives are applied walking the tree in
/// document order, which gives the same result for every configuration FreeSWITCH accepts.
public struct PreProcessor: Sendable {
    public static let maxIncludeDepth = 20

    public private(set) var variables: [String: String]
    public private(set) var diagnostics: [Diagnostic] = []

    public init(variables: [String: String] = [:]) {
        self.variables = variables
    }

    /// Reads a file and returns its elements: the root, or the children of an `<include>` root.
    public mutating func load(file path: String) -> [XMLElement] {
        load(path: path, stack: [], includedBy: nil)
    }

    /// Applies the directives to an already parsed element (used for in-memory documents).
    public mutating func process(_ element: XMLElement, directory: String) -> [XMLElement] {
        expand(element, directory: directory, stack: [])
    }

    private mutating func load(path: String, stack: [String], includedBy: XMLElement?) -> [XMLElement] {
        let displayPath = Self.normalize(path)
        let canonical = Self.canonicalPath(path) ?? displayPath
        if stack.contains(canonical) {
            report(.error, includedBy, "include cycle: \((stack + [canonical]).joined(separator: " -> "))")
            return []
        }
        if stack.count >= Self.maxIncludeDepth {
            report(.error, includedBy, "includes nested deeper than \(Self.maxIncludeDepth) levels")
            return []
        }
        switch LibXMLDocumentReader.read(path: path, displayPath: displayPath) {
        case .failure(.unreadable(let reason)):
            if let includedBy {
                diagnostics.append(.error("cannot read \(displayPath): \(reason)", at: includedBy))
            } else {
                diagnostics.append(Diagnostic(.error, at: SourceLocation(file: displayPath, line: 0), "cannot read file: \(reason)"))
            }
            return []
        case .failure(.malformed(let line, let reason)):
            diagnostics.append(Diagnostic(.error, at: SourceLocation(file: displayPath, line: line), "malformed XML: \(reason)"))
            return []
        case .success(let root):
            let directory = Self.directory(of: path)
            let nested = stack + [canonical]
            if root.name == "include" {
                return root.children.flatMap { expand($0, directory: directory, stack: nested) }
            }
            return expand(root, directory: directory, stack: nested)
        }
    }

    private mutating func expand(_ element: XMLElement, directory: String, stack: [String]) -> [XMLElement] {
        let attributes = element.attributes.map { XMLElement.Attribute(name: $0.name, value: substitute($0.value, in: element)) }
        let text = substitute(element.text, in: element)
        let substituted = element.replacing(attributes: attributes, children: element.children, text: text)
        if element.name == "X-PRE-PROCESS" {
            return directive(substituted, directory: directory, stack: stack)
        }
        let children = element.children.flatMap { expand($0, directory: directory, stack: stack) }
        return [substituted.replacing(attributes: attributes, children: children, text: text)]
    }

    private mutating func directive(_ element: XMLElement, directory: String, stack: [String]) -> [XMLElement] {
        guard let command = element[attribute: "cmd"] else {
            diagnostics.append(.error("missing attribute \"cmd\"", at: element))
            return []
        }
        guard let data = element[attribute: "data"] else {
            diagnostics.append(.error("missing attribute \"data\"", at: element))
            return []
        }
        switch command.lowercased() {
        case "include":
            return include(data, from: element, directory: directory, stack: stack)
        case "set":
            guard let equals = data.firstIndex(of: "=") else {
                diagnostics.append(.warning("set data \"\(data)\" has no '='; ignored", at: element))
                return []
            }
            let name = String(data[..<equals]).trimmed()
            variables[name] = String(data[data.index(after: equals)...])
            return []
        default:
            diagnostics.append(.warning("pre-processor command \"\(command)\" is not supported; ignored", at: element))
            return []
        }
    }

    private mutating func include(_ pattern: String, from element: XMLElement, directory: String, stack: [String]) -> [XMLElement] {
        let full = pattern.hasPrefix("/") ? pattern : directory + "/" + pattern
        let paths = Self.glob(full)
        if paths.isEmpty {
            if Self.hasGlobCharacters(pattern) {
                diagnostics.append(.warning("include \"\(pattern)\" matches no file", at: element))
            } else {
                diagnostics.append(.error("cannot read \(Self.normalize(full)): \(String(cString: strerror(ENOENT)))", at: element))
            }
            return []
        }
        return paths.flatMap { load(path: $0, stack: stack, includedBy: element) }
    }

    /// Replaces `$${name}` with the pre-processor variable; an undefined one becomes empty, as in
    /// FreeSWITCH, with a warning.
    mutating func substitute(_ text: String, in element: XMLElement) -> String {
        guard text.contains("$${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "$${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let name = String(rest[start.upperBound..<end])
            if let value = variables[name] {
                result += value
            } else {
                diagnostics.append(.warning("undefined pre-processor variable $${\(name)} replaced by an empty string", at: element))
            }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return result
    }

    private mutating func report(_ severity: Diagnostic.Severity, _ element: XMLElement?, _ message: String) {
        diagnostics.append(Diagnostic(severity, at: element?.location, element: element?.summary, message))
    }

    static func hasGlobCharacters(_ pattern: String) -> Bool {
        pattern.contains { "*?[".contains($0) }
    }

    public static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }

    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `./conf//a.xml` -> `conf/a.xml`, so that diagnostics read the way the user typed the path.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if path.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
