/// FreeSWITCH's tables between SIP status codes and call causes (behaviour spec §4).
public enum SIPCauseMapping {
    /// `sofia_glue_sip_cause_to_freeswitch`: a gateway's final response to the cause.
    public static func cause(forSIPStatus status: Int) -> HangupCause {
        switch status {
        case 200: return .normalClearing
        case 401, 402, 403, 407, 603, 608: return .callRejected
        case 404: return .unallocatedNumber
        case 485, 604: return .noRouteDestination
        case 408, 504: return .recoveryOnTimerExpire
        case 410: return .numberChanged
        case 413, 414, 416, 420, 421, 423, 505, 513: return .interworking
        case 480: return .noUserResponse
        case 400, 481, 500, 503: return .normalTemporaryFailure
        case 486, 600: return .userBusy
        case 484: return .invalidNumberFormat
        case 488, 606: return .incompatibleDestination
        case 502: return .networkOutOfOrder
        case 405: return .serviceUnavailable
        case 406, 415, 501: return .serviceNotImplemented
        case 482, 483: return .exchangeRoutingError
        case 487: return .originatorCancel
        case 607: return .unwanted
        case 428: return .noIdentity
        case 429: return .badIdentityInfo
        case 437: return .unsupportedCertificate
        case 438: return .invalidIdentity
        default: return .normalUnspecified
        }
    }

    /// `hangup_cause_to_sip`: the final response an unanswered caller gets for a cause.
    public static func sipStatus(for cause: HangupCause) -> Int {
        switch cause {
        case .unallocatedNumber, .noRouteTransitNet, .noRouteDestination: return 404
        case .userBusy: return 486
        case .noUserResponse: return 408
        case .noAnswer, .subscriberAbsent, .normalUnspecified: return 480
        case .callRejected: return 603
        case .numberChanged, .redirectionToNewDestination: return 410
        case .destinationOutOfOrder: return 502
        case .invalidNumberFormat, .invalidURL, .invalidGateway: return 484
        case .requestedChannelUnavailable, .normalCircuitCongestion, .networkOutOfOrder,
             .normalTemporaryFailure, .switchCongestion, .gatewayDown: return 503
        case .facilityRejected, .facilityNotSubscribed, .incomingCallBarred, .outgoingCallBarred,
             .bearerCapabilityNotAuthorized: return 403
        case .incompatibleDestination: return 488
        case .serviceNotImplemented, .facilityNotImplemented: return 501
        case .recoveryOnTimerExpire: return 504
        case .originatorCancel: return 487
        case .exchangeRoutingError: return 483
        case .busyEverywhere: return 600
        case .decline: return 603
        case .doesNotExistAnywhere: return 604
        case .notAcceptable: return 606
        case .unwanted: return 607
        case .noIdentity: return 428
        case .badIdentityInfo: return 429
        case .unsupportedCertificate: return 437
        case .invalidIdentity: return 438
        case .staleDate: return 403
        default: return 480
        }
    }
}
