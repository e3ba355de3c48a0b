import Configuration
import Synchronization
import XMLConfig

/// The configuration the service runs on. `reloadXML()` reads the files again and swaps the
/// result in only when it loaded without errors, so a broken edit never takes a service down.
public final class ConfigurationStore: Sendable {
    public enum ReloadOutcome: Sendable {
        case reloaded(Configuration)
        case keptRunningConfiguration(errors: [Diagnostic])
    }

    public let loader: ConfigurationLoader
    private let state: Mutex<Configuration>

    public init(loader: ConfigurationLoader, initial: Configuration) {
        self.loader = loader
        self.state = Mutex(initial)
    }

    public var current: Configuration {
        state.withLock { $0 }
    }

    public func reloadXML() -> ReloadOutcome {
        let fresh = loader.load()
        let errors = fresh.diagnostics.errors
        guard errors.isEmpty else { return .keptRunningConfiguration(errors: errors) }
        state.withLock { $0 = fresh }
        return .reloaded(fresh)
    }
}
