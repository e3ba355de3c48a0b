import Configuration
import Dialplan
import Synchronization
import XMLConfig

/// The configuration the service runs on, and its dialplan compiled. `reloadXML()` reads the
/// files again and swaps the result in only when it loaded without errors, so a broken edit
/// never takes a service down.
public final class ConfigurationStore: Sendable {
    public enum ReloadOutcome: Sendable {
        case reloaded(Configuration)
        case keptRunningConfiguration(errors: [Diagnostic])
    }

    private struct Snapshot {
        var configuration: Configuration
        var dialplan: CompiledDialplan
    }

    public let loader: ConfigurationLoader
    private let state: Mutex<Snapshot>

    public init(loader: ConfigurationLoader, initial: Configuration) {
        self.loader = loader
        self.state = Mutex(Snapshot(configuration: initial, dialplan: CompiledDialplan(initial.dialplan)))
    }

    public var current: Configuration {
        state.withLock { $0.configuration }
    }

    public var dialplan: CompiledDialplan {
        state.withLock { $0.dialplan }
    }

    public func reloadXML() -> ReloadOutcome {
        let fresh = loader.load()
        let errors = fresh.diagnostics.errors
        guard errors.isEmpty else { return .keptRunningConfiguration(errors: errors) }
        let dialplan = CompiledDialplan(fresh.dialplan)
        state.withLock { $0 = Snapshot(configuration: fresh, dialplan: dialplan) }
        return .reloaded(fresh)
    }
}
