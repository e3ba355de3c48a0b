import Gateways

/// What the status page shows, taken at one moment.
public struct StatusSnapshot: Sendable, Codable {
    public struct ListNode: Sendable, Codable {
        public let name: String
        public let weight: Int
        public let picks: Int

        public init(name: String, weight: Int, picks: Int) {
            self.name = name
            self.weight = weight
            self.picks = picks
        }
    }

    public struct List: Sendable, Codable {
        public let name: String
        public let nodes: [ListNode]

        public init(name: String, nodes: [ListNode]) {
            self.name = name
            self.nodes = nodes
        }
    }

    public let version: String
    public let uptimeSeconds: Int
    public let activeCalls: Int
    public let totalCalls: Int
    public let gateways: [GatewaySummary]
    public let lists: [List]

    public init(version: String, uptimeSeconds: Int, activeCalls: Int, totalCalls: Int, gateways: [GatewaySummary], lists: [List]) {
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.activeCalls = activeCalls
        self.totalCalls = totalCalls
        self.gateways = gateways
        self.lists = lists
    }
}
