/// The headers the stack itself reads or writes on every call, named by a small number each
/// field keeps: telling them apart is one comparison of integers, where comparing keys took a
/// length check and a string comparison per field, for every field of every message.
enum CommonHeader: UInt8, Sendable, CaseIterable {
    case other = 0
    case via, from, to, callID, cseq, route, recordRoute, contact, maxForwards, contentLength, contentType
    case timestamp, allow, supported, require, expires, reason, userAgent

    /// The header a lowercase key names; `.other` for any other.
    init(key: String) {
        switch key.utf8.count {
        case 2 where key == "to": self = .to
        case 3 where key == "via": self = .via
        case 4 where key == "from": self = .from
        case 4 where key == "cseq": self = .cseq
        case 5 where key == "route": self = .route
        case 5 where key == "allow": self = .allow
        case 6 where key == "reason": self = .reason
        case 7 where key == "call-id": self = .callID
        case 7 where key == "contact": self = .contact
        case 7 where key == "expires": self = .expires
        case 7 where key == "require": self = .require
        case 9 where key == "supported": self = .supported
        case 9 where key == "timestamp": self = .timestamp
        case 10 where key == "user-agent": self = .userAgent
        case 12 where key == "max-forwards": self = .maxForwards
        case 12 where key == "record-route": self = .recordRoute
        case 12 where key == "content-type": self = .contentType
        case 14 where key == "content-length": self = .contentLength
        default: self = .other
        }
    }
}
