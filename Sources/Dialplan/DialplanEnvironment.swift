import Logging

/// What a call's dialplan run needs from the service, shared by every call.
/// A class: every call's dialplan session holds it, and a reference copies as one retain.
public final class DialplanEnvironment: Sendable {
    public let dialplan: CompiledDialplan
    public let expander: VariableExpander
    /// Applications run by a higher layer (the bridge), which the session hands back as steps.
    public let externalApplications: Set<String>
    public let clock: @Sendable () -> LocalTime
    public let logger: Logger

    public init(dialplan: CompiledDialplan, expander: VariableExpander, externalApplications: Set<String> = [],
                clock: @escaping @Sendable () -> LocalTime = LocalTime.now, logger: Logger) {
        self.dialplan = dialplan
        self.expander = expander
        self.externalApplications = externalApplications
        self.clock = clock
        self.logger = logger
    }
}
