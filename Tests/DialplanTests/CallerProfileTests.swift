import Dialplan
import Testing

struct CallerProfileTests {
    private let profile = CallerProfile(destinationNumber: "9980", callerIDNumber: "1003", callerIDName: "Alice",
                                        networkAddress: "192.0.2.7", uuid: "u-1", username: "alice", channelName: "sofia/external/1003@h")

    @Test func everyFieldIsFoundByItsNameInAnyCase() {
        let expected = [
            "destination_number": "9980", "caller_id_number": "1003", "caller_id_name": "Alice", "network_addr": "192.0.2.7",
            "context": "default", "uuid": "u-1", "username": "alice", "ani": "1003", "rdnis": "", "source": "mod_sofia",
            "chan_name": "sofia/external/1003@h", "dialplan": "XML",
        ]
        for (name, value) in expected {
            #expect(profile.field(named: name) == value, "\(name)")
            #expect(profile.field(named: name.uppercased()) == value, "\(name.uppercased())")
        }
    }

    @Test func unknownNamesAndNamesOfAKnownLengthGiveNothing() {
        #expect(profile.field(named: "nope") == nil)
        #expect(profile.field(named: "usernamf") == nil)
        #expect(profile.field(named: "") == nil)
    }
}
