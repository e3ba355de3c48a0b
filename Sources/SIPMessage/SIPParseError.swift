/// Why a message or a header could not be read; the reason goes into a 400's reason phrase.
public struct SIPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    /// The status to answer with: 400, or 505 for an unsupported SIP version, 416 for an
    /// unsupported URI scheme, 413 for an oversized message.
    public let status: Int

    public init(_ reason: String, status: Int = 400) {
        self.reason = reason
        self.status = status
    }

    public var description: String { reason }
}
