import APICommands
import Configuration
import Dialplan
import Distributor
import Logging

/// What the running service shares between its front ends: the configuration, the distributor
/// lists and the API commands that act on them.
public final class ServiceRuntime: Sendable {
    public let store: ConfigurationStore
    public let lists: DistributorRegistry
    public let commands: CommandRegistry
    public let health = GatewayHealth()
    public let logger: Logger

    public init(loader: ConfigurationLoader, configuration: Configuration, logger: Logger = Logger(label: "distributor")) {
        store = ConfigurationStore(loader: loader, initial: configuration)
        lists = DistributorRegistry(lists: configuration.distributor.map(WeightedList.lists(from:)) ?? [])
        commands = CommandRegistry()
        self.logger = logger
        DistributorCommands.register(in: commands, lists: lists, store: store, health: health)
        ReloadCommands.register(in: commands, store: store)
        commands.register(ExpandCommand.make { [store, commands, logger] in
            VariableExpander(commands: commands, globals: store.current.variables, logger: logger)
        })
    }

    /// What a call's dialplan run needs, from the configuration loaded now.
    public func dialplanEnvironment(externalApplications: Set<String> = [], clock: @escaping @Sendable () -> LocalTime = LocalTime.now) -> DialplanEnvironment {
        DialplanEnvironment(
            dialplan: store.dialplan,
            expander: VariableExpander(commands: commands, globals: store.current.variables, logger: logger),
            externalApplications: externalApplications,
            clock: clock,
            logger: logger
        )
    }
}
