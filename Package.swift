// swift-tools-version:6.0
import PackageDescription

/// Release builds let the optimizer see across our own modules: the SIP layers call one
/// another's small accessors on every message.
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "distributor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "distributor", targets: ["DistributorCLI"]),
        .executable(name: "distributor-bench", targets: ["DistributorBench"]),
        .executable(name: "sip-parser-fuzzer", targets: ["SIPParserFuzzer"]),
        .executable(name: "configuration-fuzzer", targets: ["ConfigurationFuzzer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // Trimming ASCII delimiters without grapheme breaking, shared by every text parser.
        .target(name: "TextTrimming"),
        // FreeSWITCH-style XML: libxml2 parsing, X-PRE-PROCESS and $${} pre-processing.
        .target(name: "XMLConfig", dependencies: ["CLibXML2", "TextTrimming"]),
        // IPv4/IPv6 addresses and CIDR networks, for ACLs and transports alike.
        .target(name: "IPAddressing"),
        // Typed, immutable configuration values read from the XML tree.
        .target(name: "Configuration", dependencies: ["XMLConfig", "IPAddressing", "TextTrimming"]),
        // mod_distributor's credit round robin; pure, no configuration or I/O.
        .target(name: "Distributor"),
        // The API command registry shared by the dialplan, the event socket and the CLI.
        .target(name: "APICommands"),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        // The SIP message library: parse and serialize, no I/O.
        .target(name: "SIPMessage", dependencies: ["TextTrimming"]),
        // RFC 3261 transactions as plain state machines; the driver supplies time and I/O.
        .target(name: "SIPTransaction", dependencies: ["SIPMessage"]),
        // swift-metrics counters by label values, made once and kept.
        .target(name: "CounterFamilies", dependencies: [.product(name: "Metrics", package: "swift-metrics")]),
        // Spreads a SO_REUSEPORT group's datagrams over its sockets (Linux classic BPF).
        .target(name: "CReusePort"),
        // Sends a batch of datagrams with one sendmmsg(2).
        .target(name: "CDatagramBatch"),
        // How long the datagram just read waited in its socket's queue, and how full the queue is.
        .target(name: "CReceiveQueue"),
        // UDP and TCP transports on SwiftNIO, the transaction layer that drives the machines,
        // and the stateless endpoint.
        .target(name: "SIPTransport", dependencies: [
            "SIPMessage", "SIPTransaction", "TextTrimming", "LogFormatting", "CReusePort", "CDatagramBatch", "CReceiveQueue",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // The requests any SIP service answers by itself (OPTIONS, 405, 501, 481, 420).
        .target(name: "SIPEndpoint", dependencies: ["SIPMessage", "SIPTransport"]),
        // SIP digest authentication (MD5, qop=auth) for REGISTER and challenged INVITEs.
        .target(name: "SIPAuthentication", dependencies: ["SIPMessage", "TextTrimming"]),
        // Sofia gateways: settings, OPTIONS pinging, registration, the sofia commands.
        .target(name: "Gateways", dependencies: [
            "Configuration", "XMLConfig", "IPAddressing", "SIPMessage", "SIPAuthentication", "SIPTransport", "APICommands", "TextTrimming",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // FreeSWITCH's call causes and their SIP status tables.
        .target(name: "Causes", dependencies: ["TextTrimming"]),
        // The XML dialplan: hunting, conditions, variable and API expansion, applications.
        .target(name: "Dialplan", dependencies: [
            "CPCRE2", "Causes", "Configuration", "XMLConfig", "APICommands", "TextTrimming",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The signalling-only B2BUA: incoming calls, the bridge application, failover.
        .target(name: "Bridge", dependencies: [
            "SIPMessage", "SIPTransaction", "SIPTransport", "SIPAuthentication", "Dialplan", "Gateways", "Causes",
            "Configuration", "IPAddressing", "APICommands", "Events", "TextTrimming", "CounterFamilies",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Events (gateway state, channels, background jobs) and who listens to them.
        .target(name: "Events"),
        // FreeSWITCH's inbound event socket.
        .target(name: "EventSocket", dependencies: [
            "Events", "APICommands", "Configuration", "IPAddressing", "TextTrimming", "JSONText",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The running service's state: current configuration, reload, and the commands on it.
        .target(name: "Control", dependencies: [
            "Configuration", "Distributor", "APICommands", "Dialplan", "CounterFamilies",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // JSON string literals for the writers that build JSON by hand.
        .target(name: "JSONText"),
        // Log output formats beyond swift-log's own: JSON lines.
        .target(name: "LogFormatting", dependencies: ["JSONText", .product(name: "Logging", package: "swift-log")]),
        // The Prometheus endpoint and the status page, over HTTP.
        .target(name: "Observability", dependencies: [
            "Gateways", "LogFormatting",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        .executableTarget(
            name: "DistributorCLI",
            dependencies: [
                "Control", "Configuration", "XMLConfig", "Distributor", "APICommands", "Dialplan",
                "SIPTransport", "SIPTransaction", "SIPEndpoint", "Gateways", "Bridge", "Events", "EventSocket", "TextTrimming",
                "IPAddressing", "Observability", "LogFormatting",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "DistributorBench", dependencies: [
            "Distributor", "SIPMessage", "Configuration", "Control", "Dialplan", "SIPTransport", "SIPEndpoint", "Gateways", "Bridge",
            "Events", .product(name: "Logging", package: "swift-log"), .product(name: "NIOPosix", package: "swift-nio"),
        ], path: "Sources/DistributorBench"),
        // libFuzzer targets, built by scripts/fuzz; stubs otherwise.
        .target(name: "FuzzerDriver"),
        .executableTarget(name: "SIPParserFuzzer", dependencies: ["SIPMessage", "FuzzerDriver"], path: "Sources/Fuzzers/SIPParserFuzzer"),
        .executableTarget(name: "ConfigurationFuzzer", dependencies: ["Configuration", "FuzzerDriver"], path: "Sources/Fuzzers/ConfigurationFuzzer"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "IPAddressingTests", dependencies: ["IPAddressing"]),
        .testTarget(name: "XMLConfigTests", dependencies: ["XMLConfig", "TestSupport"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "XMLConfig", "TestSupport"]),
        .testTarget(name: "DistributorTests", dependencies: ["Distributor"]),
        .testTarget(name: "CounterFamiliesTests", dependencies: ["CounterFamilies", .product(name: "Metrics", package: "swift-metrics")]),
        .testTarget(name: "DialplanTests", dependencies: ["Dialplan", "Causes", "Configuration", "XMLConfig", "APICommands", "TestSupport"]),
        .testTarget(name: "SIPMessageTests", dependencies: ["SIPMessage", "TextTrimming"]),
        .testTarget(name: "SIPTransactionTests", dependencies: ["SIPTransaction", "SIPMessage"]),
        .testTarget(name: "SIPTransportTests", dependencies: [
            "SIPTransport", "SIPEndpoint", "SIPMessage", "SIPTransaction", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "InteropTests", dependencies: [
            "TestSupport", "Gateways", "Configuration", "SIPTransport", "SIPTransaction", "APICommands",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "SIPAuthenticationTests", dependencies: ["SIPAuthentication"]),
        .testTarget(name: "GatewaysTests", dependencies: [
            "Gateways", "Configuration", "XMLConfig", "APICommands", "SIPTransport", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "BridgeTests", dependencies: ["Bridge", "Causes"]),
        .testTarget(name: "EventSocketTests", dependencies: ["EventSocket", "Events"]),
        .testTarget(name: "LogFormattingTests", dependencies: ["LogFormatting", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability", "Gateways"]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "Configuration", "Distributor", "APICommands", "TestSupport"]),
    ]
)

// Every target of ours but the tests (which `scripts/test` also runs against the release build).
// The C targets (`CReusePort` and the like) are regular targets too; they ignore Swift settings.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + crossModule
}
