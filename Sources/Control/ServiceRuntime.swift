import APICommands
import Configuration
import Distributor

/// What the running service shares between its front ends: the configuration, the distributor
/// lists and the API commands that act on them.
public final class ServiceRuntime: Sendable {
    public let store: ConfigurationStore
    public let lists: DistributorRegistry
    public let commands: CommandRegistry

    public init(loader: ConfigurationLoader, configuration: Configuration) {
        store = ConfigurationStore(loader: loader, initial: configuration)
        lists = DistributorRegistry(lists: configuration.distributor.map(WeightedList.lists(from:)) ?? [])
        commands = CommandRegistry()
        DistributorCommands.register(in: commands, lists: lists, store: store)
        ReloadCommands.register(in: commands, store: store)
    }
}
