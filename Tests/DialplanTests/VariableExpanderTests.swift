import APICommands
import Dialplan
import Logging
import Testing

struct VariableExpanderTests {
    private func expander(_ commands: CommandRegistry = CountingCommand.registry()) -> VariableExpander {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return VariableExpander(commands: commands, globals: ["domain": "example.net", "g": "global"], logger: logger)
    }

    private let channel = ["a": "alpha", "name": "a", "digits": "0123456789"]

    private func expand(_ text: String, _ expander: VariableExpander? = nil) -> String {
        (expander ?? self.expander()).expand(text) { channel[$0] }
    }

    @Test func variablesGlobalsAndUnknowns() {
        #expect(expand("x${a}y") == "xalphay")
        #expect(expand("${g} $${domain}") == "global example.net")
        #expect(expand("[${nope}]") == "[]")
        #expect(expand("${${name}}") == "alpha")
        #expect(expand("9980$ and $5 and ${unclosed") == "9980$ and $5 and ${unclosed")
    }

    @Test func substrings() {
        #expect(expand("${digits:2}") == "23456789")
        #expect(expand("${digits:2:3}") == "234")
        #expect(expand("${digits:-3}") == "789")
    }

    @Test func apiCallsInBothFormsInnerFirst() {
        #expect(expand("${echo(x ${a})}") == "[x alpha]")
        #expect(expand("${echo x ${echo(${a})}}") == "[x [alpha]]")
        #expect(expand("${echo(a(b)c)}") == "[a(b)c]")
        #expect(expand("${nosuchcommand(x)}") == "")
    }

    @Test func everyExpansionCallsTheCommandAgain() {
        let expander = expander()
        #expect(expand("${count()}${count()}", expander) == "12")
        #expect(expand("${count()}", expander) == "3")
    }

    @Test func recursionIsBounded() {
        let commands = CommandRegistry()
        let deep = String(repeating: "${echo(", count: 150) + "x" + String(repeating: ")}", count: 150)
        commands.register(APICommand(name: "echo", syntax: "", summary: "") { $0 })
        let result = expand(deep, expander(commands))
        #expect(result.contains("${echo("))
    }
}
