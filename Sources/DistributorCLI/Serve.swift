import ArgumentParser
import Configuration
import Control
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service on the configuration and dialplan (the default)."
    )

    @OptionGroup var tree: TreeOptions

    func run() throws {
        let loader = ConfigurationLoader(configurationDirectory: tree.configurationDirectory, dialplanDirectory: tree.dialplanDirectory)
        let configuration = try loadOrExplain(loader)
        let runtime = ServiceRuntime(loader: loader, configuration: configuration)
        let lists = runtime.lists.lists.map(\.name).joined(separator: ", ")
        print("distributor: loaded \(configuration.profiles.count) profile(s), lists: \(lists.isEmpty ? "(none)" : lists)")
        print("distributor: running; SIGINT or SIGTERM stops it")
        waitForTermination()
    }

    private func waitForTermination() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let done = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { done.signal() }
            source.resume()
            return source
        }
        done.wait()
        sources.forEach { $0.cancel() }
        print("distributor: stopped")
    }
}
