import ArgumentParser

@main
struct DistributorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributor",
        abstract: "A FreeSWITCH-style weighted SIP distributor.",
        subcommands: [Serve.self, Check.self, Pick.self, Route.self, API.self],
        defaultSubcommand: Serve.self
    )
}

/// `--conf` and `--dialplan`, taken by every subcommand.
struct TreeOptions: ParsableArguments {
    @Option(name: .customLong("conf"), help: "The FreeSWITCH-style configuration directory.")
    var configurationDirectory = "./conf"

    @Option(name: .customLong("dialplan"), help: "The XML dialplan directory.")
    var dialplanDirectory = "./dialplan"
}
