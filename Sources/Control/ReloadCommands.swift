import APICommands

/// `reloadxml`: reads every file again; a broken tree keeps the running configuration and
/// answers `-ERR` with each error's file and line.
public enum ReloadCommands {
    public static func register(in commands: CommandRegistry, store: ConfigurationStore) {
        commands.register(APICommand(
            name: "reloadxml",
            syntax: "",
            summary: "Reload the XML configuration and dialplan",
            run: { _ in
                switch store.reloadXML() {
                case .reloaded:
                    return "+OK [Success]\n"
                case .keptRunningConfiguration(let errors):
                    return "-ERR [" + errors.map(\.description).joined(separator: "; ") + "]\n"
                }
            }
        ))
    }
}
