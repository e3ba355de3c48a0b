import APICommands

/// The `expand` API command: expands `${...}` in the rest of the line, then runs it as a
/// command (`expand distributor 2gw ${sofia profile external gwlist down}`). Plain API
/// arguments are not expanded, so scripts on the event socket need it.
public enum ExpandCommand {
    public static func make(expander: @escaping @Sendable () -> VariableExpander) -> APICommand {
        APICommand(name: "expand", syntax: "<command> [<args>]", summary: "Expand variables, then run the command") { arguments in
            let expander = expander()
            let line = expander.expand(arguments) { _ in nil }
            return expander.commands.execute(line: line)
        }
    }
}
