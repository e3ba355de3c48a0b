/// Which header of an outgoing INVITE names the caller besides its From, as sofia's
/// `caller-id-type` (profile) and `sip_cid_type` (leg) choose it.
public enum CallerIDType: String, Hashable, Sendable {
    /// `Remote-Party-ID: "name"<sip:number@host>;party=calling;screen=no;privacy=off`, sofia's default.
    case rpid
    /// `P-Preferred-Identity: "name" <sip:number@host>` with `Privacy: none`.
    case pid
    case none
}
