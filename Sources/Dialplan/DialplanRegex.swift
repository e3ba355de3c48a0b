import CPCRE2

/// A compiled PCRE pattern, as FreeSWITCH's dialplan uses: `expression="^(\d+)$"`, or the
/// `/pattern/i` form for case-insensitive matching.
public final class DialplanRegex: @unchecked Sendable {
    // The compiled code is never mutated after init; matching allocates its own match data.
    private let code: OpaquePointer
    public let pattern: String
    public let hasCaptureGroups: Bool

    public enum CompileError: Error, CustomStringConvertible {
        case invalid(offset: Int, reason: String)

        public var description: String {
            switch self {
            case .invalid(let offset, let reason): return "invalid regular expression at offset \(offset): \(reason)"
            }
        }
    }

    /// `jit`: compile to machine code too, which costs more than it saves for a pattern matched
    /// once (one expanded from `${...}` for a single call).
    public init(_ expression: String, jit: Bool = true) throws {
        var pattern = expression
        var options: UInt32 = 0
        if expression.hasPrefix("/"), let end = expression.lastIndex(of: "/"), end != expression.startIndex {
            let flags = expression[expression.index(after: end)...]
            if flags.allSatisfy({ "ismx".contains($0) }) {
                pattern = String(expression[expression.index(after: expression.startIndex)..<end])
                if flags.contains("i") { options |= UInt32(PCRE2_CASELESS) }
                if flags.contains("s") { options |= UInt32(PCRE2_DOTALL) }
                if flags.contains("m") { options |= UInt32(PCRE2_MULTILINE) }
                if flags.contains("x") { options |= UInt32(PCRE2_EXTENDED) }
            }
        }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            var message = [UInt8](repeating: 0, count: 256)
            let length = pcre2_get_error_message_8(errorCode, &message, message.count)
            throw CompileError.invalid(offset: errorOffset, reason: String(decoding: message.prefix(max(0, Int(length))), as: UTF8.self))
        }
        // JIT code matches without the 20 KiB of heap frames the interpreter allocates for each
        // match (one per call, on the dialplan's hunt); where PCRE2 has no JIT, it interprets.
        if jit { _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) }
        code = compiled
        self.pattern = expression
        hasCaptureGroups = expression.contains("(")
    }

    deinit {
        pcre2_code_free_8(code)
    }

    /// The captures of the first match (`[0]` is the whole match; an unset group is ""), or nil.
    public func match(_ subject: String) -> [String]? {
        guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
        defer { pcre2_match_data_free_8(matchData) }
        // The subject's own bytes: a copy of them for each match was an allocation per condition.
        var subject = subject
        return subject.withUTF8 { bytes in
            func run(_ options: UInt32) -> Int32 {
                pcre2_match_8(code, bytes.baseAddress ?? UnsafePointer(bitPattern: 1), bytes.count, 0, options, matchData, nil)
            }
            var result = run(0)
            // A pattern deep enough to outgrow the JIT's 32 KiB stack gets the interpreter's larger limits.
            if result == PCRE2_ERROR_JIT_STACKLIMIT { result = run(UInt32(PCRE2_NO_JIT)) }
            guard result > 0 else { return nil }
            let pairs = pcre2_get_ovector_pointer_8(matchData)!
            let notSet = ~Int(0)
            return (0..<Int(result)).map { group in
                let start = pairs[2 * group], end = pairs[2 * group + 1]
                guard start != notSet, start <= end, end <= bytes.count else { return "" }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
        }
    }
}
