import Causes
import XMLConfig

/// How a call's dialplan ends.
public enum DialplanOutcome: Hashable, Sendable {
    /// No context or no extension matched: NO_ROUTE_DESTINATION, 404 to the caller.
    case noRoute
    case hangup(HangupCause)
    /// `respond` with a final status: that response goes to the caller.
    case respond(status: Int, reason: String?)
    /// The last action ran and the call is still up: NORMAL_CLEARING.
    case endOfDialplan

    public var cause: HangupCause {
        switch self {
        case .noRoute: return .noRouteDestination
        case .hangup(let cause): return cause
        case .respond(let status, _): return SIPCauseMapping.cause(forSIPStatus: status)
        case .endOfDialplan: return .normalClearing
        }
    }
}

/// What the session asks its owner to do next.
public enum DialplanStep: Hashable, Sendable {
    /// Run an application of a higher layer (e.g. `bridge`) with its data already expanded,
    /// then call `next()` again.
    case execute(application: String, data: String, location: SourceLocation)
    case finished(DialplanOutcome)
}

/// One action as it ran, for `distributor route` and the logs.
public struct ExecutedAction: Hashable, Sendable {
    public let application: String
    public let data: String
    public let location: SourceLocation
    public let inline: Bool
}

/// An extension the hunt evaluated and that contributed (matched or queued anti-actions).
public struct MatchedExtension: Hashable, Sendable {
    public let context: String
    public let name: String
    public let location: SourceLocation
}
