import Configuration
import Distributor

extension WeightedList {
    /// The lists of `distributor.conf`, ready to pick from.
    public static func lists(from configuration: DistributorConfiguration) -> [WeightedList] {
        configuration.lists.map { list in
            WeightedList(name: list.name, nodes: list.nodes.map { WeightedNode(name: $0.name, weight: $0.weight) },
                         skipDown: list.skipDown, skipTried: list.skipTried)
        }
    }
}

extension DistributorRegistry {
    /// `distributor_ctl reload`: the lists of the loaded configuration replace the running ones.
    /// Fails, keeping the running lists, when there is no `<lists>` or it defines no list, as in
    /// FreeSWITCH.
    public func reload(from configuration: Configuration) -> Bool {
        guard let distributor = configuration.distributor, !distributor.lists.isEmpty else { return false }
        replace(with: WeightedList.lists(from: distributor))
        return true
    }
}
