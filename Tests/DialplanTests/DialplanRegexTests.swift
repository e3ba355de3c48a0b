import Dialplan
import Testing

struct DialplanRegexTests {
    @Test func capturesComeBackInOrderWithUnsetGroupsEmpty() throws {
        let regex = try DialplanRegex("^(\\d{3})(x)?(\\d+)$")
        #expect(regex.match("1004567") == ["1004567", "100", "", "4567"])
        #expect(regex.match("10a4") == nil)
    }

    @Test func slashFormTakesFlags() throws {
        let regex = try DialplanRegex("/^gw-(\\w+)$/i")
        #expect(regex.match("GW-East") == ["GW-East", "East"])
        #expect(try DialplanRegex("^gw-(\\w+)$").match("GW-East") == nil)
    }

    /// Compiled to machine code where PCRE2 can; a subject that makes the pattern backtrack
    /// deeper than the JIT's stack still matches, through the interpreter.
    @Test func deepBacktrackingStillMatches() throws {
        let regex = try DialplanRegex("^(a|ab)*c$")
        let subject = String(repeating: "ab", count: 20_000) + "c"
        #expect(regex.match(subject)?.first?.utf8.count == subject.utf8.count)
        #expect(regex.match(String(repeating: "ab", count: 20_000) + "d") == nil)
    }

    @Test func badPatternNamesWhereItFails() {
        #expect(throws: DialplanRegex.CompileError.self) { try DialplanRegex("^(unclosed") }
    }
}
