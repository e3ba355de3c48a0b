import APICommands
import Testing

struct ArgumentSplitterTests {
    @Test func splitsLikeSwitchSeparateString() {
        #expect(ArgumentSplitter.split("  a  b c ") == ["a", "b", "c"])
        #expect(ArgumentSplitter.split("a 'b c' d") == ["a", "b c", "d"])
        #expect(ArgumentSplitter.split("a\\ b c") == ["a b", "c"])
        #expect(ArgumentSplitter.split("") == [])
        #expect(ArgumentSplitter.split("a b c d", maxTokens: 2) == ["a", "b c d"])
    }

    @Test func commandLineNameEndsAtTheFirstSpace() {
        #expect(CommandRegistry.splitCommandLine("sofia profile  x") == ("sofia", "profile  x"))
        #expect(CommandRegistry.splitCommandLine("status") == ("status", ""))
    }
}
