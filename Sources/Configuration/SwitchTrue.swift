/// FreeSWITCH's `switch_true`: the words it reads as true in configuration and variables.
public func switchTrue(_ value: String?) -> Bool {
    guard let value else { return false }
    switch value.lowercased() {
    case "true", "yes", "on", "enabled", "active", "allow", "1": return true
    default: return Int(value).map { $0 != 0 } ?? false
    }
}
