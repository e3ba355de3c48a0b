import APICommands
import Synchronization

/// `count` answers 1, 2, 3... so a test sees when and how often an expansion runs.
enum CountingCommand {
    static func registry() -> CommandRegistry {
        let registry = CommandRegistry()
        let counter = Mutex(0)
        registry.register(APICommand(name: "count", syntax: "", summary: "") { _ in
            String(counter.withLock { value in
                value += 1
                return value
            })
        })
        registry.register(APICommand(name: "echo", syntax: "", summary: "") { "[\($0)]" })
        return registry
    }
}
