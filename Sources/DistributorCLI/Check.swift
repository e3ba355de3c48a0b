import ArgumentParser
import Configuration
import Dialplan
import Foundation
import XMLConfig

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the configuration and dialplan, and print what they define."
    )

    @OptionGroup var tree: TreeOptions

    func run() throws {
        let loader = ConfigurationLoader(configurationDirectory: tree.configurationDirectory, dialplanDirectory: tree.dialplanDirectory)
        var configuration = loader.load()
        configuration.diagnostics += CompiledDialplan(configuration.dialplan).diagnostics
        print(ConfigurationReport(configuration).text, terminator: "")
        for diagnostic in configuration.diagnostics {
            FileHandle.standardError.write(Data("\(diagnostic.severity): \(diagnostic)\n".utf8))
        }
        let errors = configuration.diagnostics.errors.count
        let warnings = configuration.diagnostics.warnings.count
        print("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        if errors > 0 { throw ExitCode(1) }
    }
}
