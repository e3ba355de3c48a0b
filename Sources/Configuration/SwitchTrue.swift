/// FreeSWITCH's `switch_true`: the words it reads as true in configuration and variables.
public func switchTrue(_ value: String?) -> Bool {
    guard let value else { return false }
    switch value.lowercased() {
    case "true", "yes", "on", "enabled", "active", "allow", "1": return true
    default: return Int(value).map { $0 != 0 } ?? false
    }
}

/// FreeSWITCH's `switch_false`: the words it reads as false. Neither this nor `switchTrue` holds
/// for other values, so a setting that is on unless turned off checks this one.
public func switchFalse(_ value: String?) -> Bool {
    guard let value else { return false }
    switch value.lowercased() {
    case "false", "no", "off", "f", "disabled", "inactive", "disallow": return true
    default: return Int(value).map { $0 == 0 } ?? false
    }
}
