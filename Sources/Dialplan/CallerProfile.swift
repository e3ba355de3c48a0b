/// The caller-profile fields a condition's `field` names and that `${...}` also finds.
public struct CallerProfile: Hashable, Sendable {
    public var destinationNumber: String
    public var callerIDNumber: String
    public var callerIDName: String
    public var networkAddress: String
    public var context: String
    public var uuid: String
    public var username: String
    public var ani: String
    public var rdnis: String
    public var source: String
    public var channelName: String

    public init(destinationNumber: String, callerIDNumber: String = "", callerIDName: String = "", networkAddress: String = "",
                context: String = "default", uuid: String = "", username: String = "", ani: String? = nil, rdnis: String = "",
                source: String = "mod_sofia", channelName: String = "") {
        self.destinationNumber = destinationNumber
        self.callerIDNumber = callerIDNumber
        self.callerIDName = callerIDName
        self.networkAddress = networkAddress
        self.context = context
        self.uuid = uuid
        self.username = username
        self.ani = ani ?? callerIDNumber
        self.rdnis = rdnis
        self.source = source
        self.channelName = channelName
    }

    /// `switch_caller_get_field_by_name`: names ignore case; unknown names give nil.
    public func field(named name: String) -> String? {
        // Names come lowercase nearly always: lowercased only when not, and told apart by
        // length first, so that a look-up costs about one string comparison.
        let key = name.utf8.contains(where: { (0x41...0x5A).contains($0) }) ? name.lowercased() : name
        switch key.utf8.count {
        case 18 where key == "destination_number": return destinationNumber
        case 16 where key == "caller_id_number": return callerIDNumber
        case 14 where key == "caller_id_name": return callerIDName
        case 12 where key == "network_addr": return networkAddress
        case 7 where key == "context": return context
        case 4 where key == "uuid": return uuid
        case 8 where key == "username": return username
        case 3 where key == "ani": return ani
        case 5 where key == "rdnis": return rdnis
        case 6 where key == "source": return source
        case 9 where key == "chan_name": return channelName
        case 8 where key == "dialplan": return "XML"
        default: return nil
        }
    }
}
