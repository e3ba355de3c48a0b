import TextTrimming
/// FreeSWITCH's call causes: Q.850 numbers plus its own (800 and up), with their names.
public enum HangupCause: Int, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case unallocatedNumber = 1
    case noRouteTransitNet = 2
    case noRouteDestination = 3
    case channelUnacceptable = 6
    case callAwardedDelivered = 7
    case normalClearing = 16
    case userBusy = 17
    case noUserResponse = 18
    case noAnswer = 19
    case subscriberAbsent = 20
    case callRejected = 21
    case numberChanged = 22
    case redirectionToNewDestination = 23
    case exchangeRoutingError = 25
    case destinationOutOfOrder = 27
    case invalidNumberFormat = 28
    case facilityRejected = 29
    case responseToStatusEnquiry = 30
    case normalUnspecified = 31
    case normalCircuitCongestion = 34
    case networkOutOfOrder = 38
    case normalTemporaryFailure = 41
    case switchCongestion = 42
    case accessInfoDiscarded = 43
    case requestedChannelUnavailable = 44
    case preEmpted = 45
    case facilityNotSubscribed = 50
    case outgoingCallBarred = 52
    case incomingCallBarred = 54
    case bearerCapabilityNotAuthorized = 57
    case bearerCapabilityNotAvailable = 58
    case serviceUnavailable = 63
    case bearerCapabilityNotImplemented = 65
    case channelNotImplemented = 66
    case facilityNotImplemented = 69
    case serviceNotImplemented = 79
    case invalidCallReference = 81
    case incompatibleDestination = 88
    case invalidMessageUnspecified = 95
    case mandatoryIEMissing = 96
    case messageTypeNonexistent = 97
    case wrongMessage = 98
    case ieNonexistent = 99
    case invalidIEContents = 100
    case wrongCallState = 101
    case recoveryOnTimerExpire = 102
    case mandatoryIELengthError = 103
    case protocolError = 111
    case interworking = 127
    case success = 142
    case originatorCancel = 487
    case crash = 700
    case systemShutdown = 701
    case loseRace = 702
    case managerRequest = 703
    case blindTransfer = 800
    case attendedTransfer = 801
    case allottedTimeout = 802
    case userChallenge = 803
    case mediaTimeout = 804
    case pickedOff = 805
    case userNotRegistered = 806
    case progressTimeout = 807
    case invalidGateway = 808
    case gatewayDown = 809
    case invalidURL = 810
    case invalidProfile = 811
    case noPickup = 812
    case srtpReadError = 813
    case bowout = 814
    case busyEverywhere = 815
    case decline = 816
    case doesNotExistAnywhere = 817
    case notAcceptable = 818
    case unwanted = 819
    case noIdentity = 820
    case badIdentityInfo = 821
    case unsupportedCertificate = 822
    case invalidIdentity = 823
    case staleDate = 824
    case rejectAll = 825

    /// FreeSWITCH's name: `USER_BUSY`, `GATEWAY_DOWN`...
    public var name: String { Self.names[self] ?? "NONE" }

    public var description: String { name }

    /// A name (any case) or a cause number, as `hangup` and `continue_on_fail` take them.
    public init?(nameOrNumber text: String) {
        let trimmed = text.trimmed(" \t")
        if let number = Int(trimmed) {
            guard let cause = HangupCause(rawValue: number) else { return nil }
            self = cause
            return
        }
        guard let cause = Self.byName[trimmed.uppercased()] else { return nil }
        self = cause
    }

    private static let names: [HangupCause: String] = [
        .none: "NONE",
        .unallocatedNumber: "UNALLOCATED_NUMBER",
        .noRouteTransitNet: "NO_ROUTE_TRANSIT_NET",
        .noRouteDestination: "NO_ROUTE_DESTINATION",
        .channelUnacceptable: "CHANNEL_UNACCEPTABLE",
        .callAwardedDelivered: "CALL_AWARDED_DELIVERED",
        .normalClearing: "NORMAL_CLEARING",
        .userBusy: "USER_BUSY",
        .noUserResponse: "NO_USER_RESPONSE",
        .noAnswer: "NO_ANSWER",
        .subscriberAbsent: "SUBSCRIBER_ABSENT",
        .callRejected: "CALL_REJECTED",
        .numberChanged: "NUMBER_CHANGED",
        .redirectionToNewDestination: "REDIRECTION_TO_NEW_DESTINATION",
        .exchangeRoutingError: "EXCHANGE_ROUTING_ERROR",
        .destinationOutOfOrder: "DESTINATION_OUT_OF_ORDER",
        .invalidNumberFormat: "INVALID_NUMBER_FORMAT",
        .facilityRejected: "FACILITY_REJECTED",
        .responseToStatusEnquiry: "RESPONSE_TO_STATUS_ENQUIRY",
        .normalUnspecified: "NORMAL_UNSPECIFIED",
        .normalCircuitCongestion: "NORMAL_CIRCUIT_CONGESTION",
        .networkOutOfOrder: "NETWORK_OUT_OF_ORDER",
        .normalTemporaryFailure: "NORMAL_TEMPORARY_FAILURE",
        .switchCongestion: "SWITCH_CONGESTION",
        .accessInfoDiscarded: "ACCESS_INFO_DISCARDED",
        .requestedChannelUnavailable: "REQUESTED_CHAN_UNAVAIL",
        .preEmpted: "PRE_EMPTED",
        .facilityNotSubscribed: "FACILITY_NOT_SUBSCRIBED",
        .outgoingCallBarred: "OUTGOING_CALL_BARRED",
        .incomingCallBarred: "INCOMING_CALL_BARRED",
        .bearerCapabilityNotAuthorized: "BEARERCAPABILITY_NOTAUTH",
        .bearerCapabilityNotAvailable: "BEARERCAPABILITY_NOTAVAIL",
        .serviceUnavailable: "SERVICE_UNAVAILABLE",
        .bearerCapabilityNotImplemented: "BEARERCAPABILITY_NOTIMPL",
        .channelNotImplemented: "CHAN_NOT_IMPLEMENTED",
        .facilityNotImplemented: "FACILITY_NOT_IMPLEMENTED",
        .serviceNotImplemented: "SERVICE_NOT_IMPLEMENTED",
        .invalidCallReference: "INVALID_CALL_REFERENCE",
        .incompatibleDestination: "INCOMPATIBLE_DESTINATION",
        .invalidMessageUnspecified: "INVALID_MSG_UNSPECIFIED",
        .mandatoryIEMissing: "MANDATORY_IE_MISSING",
        .messageTypeNonexistent: "MESSAGE_TYPE_NONEXIST",
        .wrongMessage: "WRONG_MESSAGE",
        .ieNonexistent: "IE_NONEXIST",
        .invalidIEContents: "INVALID_IE_CONTENTS",
        .wrongCallState: "WRONG_CALL_STATE",
        .recoveryOnTimerExpire: "RECOVERY_ON_TIMER_EXPIRE",
        .mandatoryIELengthError: "MANDATORY_IE_LENGTH_ERROR",
        .protocolError: "PROTOCOL_ERROR",
        .interworking: "INTERWORKING",
        .success: "SUCCESS",
        .originatorCancel: "ORIGINATOR_CANCEL",
        .crash: "CRASH",
        .systemShutdown: "SYSTEM_SHUTDOWN",
        .loseRace: "LOSE_RACE",
        .managerRequest: "MANAGER_REQUEST",
        .blindTransfer: "BLIND_TRANSFER",
        .attendedTransfer: "ATTENDED_TRANSFER",
        .allottedTimeout: "ALLOTTED_TIMEOUT",
        .userChallenge: "USER_CHALLENGE",
        .mediaTimeout: "MEDIA_TIMEOUT",
        .pickedOff: "PICKED_OFF",
        .userNotRegistered: "USER_NOT_REGISTERED",
        .progressTimeout: "PROGRESS_TIMEOUT",
        .invalidGateway: "INVALID_GATEWAY",
        .gatewayDown: "GATEWAY_DOWN",
        .invalidURL: "INVALID_URL",
        .invalidProfile: "INVALID_PROFILE",
        .noPickup: "NO_PICKUP",
        .srtpReadError: "SRTP_READ_ERROR",
        .bowout: "BOWOUT",
        .busyEverywhere: "BUSY_EVERYWHERE",
        .decline: "DECLINE",
        .doesNotExistAnywhere: "DOES_NOT_EXIST_ANYWHERE",
        .notAcceptable: "NOT_ACCEPTABLE",
        .unwanted: "UNWANTED",
        .noIdentity: "NO_IDENTITY",
        .badIdentityInfo: "BAD_IDENTITY_INFO",
        .unsupportedCertificate: "UNSUPPORTED_CERTIFICATE",
        .invalidIdentity: "INVALID_IDENTITY",
        .staleDate: "STALE_DATE",
        .rejectAll: "REJECT_ALL",
    ]

    private static let byName: [String: HangupCause] = {
        Dictionary(uniqueKeysWithValues: names.map { ($1, $0) })
    }()
}
