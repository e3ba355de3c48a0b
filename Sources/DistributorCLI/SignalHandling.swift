import Control
import Foundation

/// SIGTERM and SIGINT stop the service gracefully; SIGHUP reloads.
final class SignalHandling {
    private let sources: [any DispatchSourceSignal]

    init(lifecycle: ServiceLifecycle, reload: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_IGN) }
        let stop: [any DispatchSourceSignal] = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { lifecycle.request(.elegant) }
            source.resume()
            return source
        }
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler(handler: reload)
        hangup.resume()
        sources = stop + [hangup]
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
