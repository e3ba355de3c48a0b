/// A node of a distributor list: the name a pick returns, verbatim, and its weight (>= 1).
public struct WeightedNode: Hashable, Sendable {
    public let name: String
    public let weight: Int

    public init(name: String, weight: Int) {
        precondition(weight >= 1, "a distributor node's weight is at least 1")
        self.name = name
        self.weight = weight
    }
}
