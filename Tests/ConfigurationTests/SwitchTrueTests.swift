import Configuration
import Testing

/// FreeSWITCH's two readings of a yes/no setting, each false for what the other does not list.
struct SwitchTrueTests {
    @Test func trueAndFalseWords() {
        for word in ["true", "YES", "on", "enabled", "active", "allow", "1", "42"] { #expect(switchTrue(word) && !switchFalse(word), "\(word)") }
        for word in ["false", "No", "off", "f", "disabled", "inactive", "disallow", "0"] { #expect(switchFalse(word) && !switchTrue(word), "\(word)") }
        for word in [nil, "", "maybe"] { #expect(!switchTrue(word) && !switchFalse(word)) }
    }
}
