import ArgumentParser
import Configuration
import Foundation
import XMLConfig

/// Loads the tree, printing warnings, and stops with every error listed when it has any.
func loadOrExplain(_ loader: ConfigurationLoader) throws -> Configuration {
    let configuration = loader.load()
    for diagnostic in configuration.diagnostics {
        FileHandle.standardError.write(Data("\(diagnostic.severity): \(diagnostic)\n".utf8))
    }
    if configuration.diagnostics.hasErrors {
        FileHandle.standardError.write(Data("distributor: the configuration has errors; nothing started\n".utf8))
        throw ExitCode(1)
    }
    return configuration
}
