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
        switch name.lowercased() {
        case "destination_number": return destinationNumber
        case "caller_id_number": return callerIDNumber
        case "caller_id_name": return callerIDName
        case "network_addr": return networkAddress
        case "context": return context
        case "uuid": return uuid
        case "username": return username
        case "ani": return ani
        case "rdnis": return rdnis
        case "source": return source
        case "chan_name": return channelName
        case "dialplan": return "XML"
        default: return nil
        }
    }
}
