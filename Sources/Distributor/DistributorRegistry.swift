import Synchronization

/// Every distributor list of the running service, shared by all callers.
///
/// One lock guards all lists, as FreeSWITCH's module mutex does: a pick is a few dozen
/// nanoseconds, so callers on other threads wait less than they would for anything finer.
/// Concurrent callers share one cursor per list, so their picks together follow the sequence.
public final class DistributorRegistry: Sendable {
    private struct State {
        var lists: [WeightedList] = []
        var indexByName: [String: Int] = [:]
    }

    private let state: Mutex<State>

    public init(lists: [WeightedList] = []) {
        state = Mutex(Self.makeState(lists))
    }

    /// Replaces every list, starting every cycle afresh (`distributor_ctl reload`).
    public func replace(with lists: [WeightedList]) {
        let fresh = Self.makeState(lists)
        state.withLock { $0 = fresh }
    }

    /// The next node name of the list (name matched case-insensitively), or nil. `down` and
    /// `tried` are added to the exclusions of lists that opted in to skipping them.
    public func pick(list: String, excluding exclusions: [String] = [], down: () -> [String] = { [] }, tried: [String] = []) -> String? {
        state.withLock { state in
            guard let index = state.indexByName[list.lowercased()] else { return nil }
            var all = exclusions
            if state.lists[index].skipDown { all += down() }
            if state.lists[index].skipTried { all += tried }
            return state.lists[index].pick(excluding: all)?.name
        }
    }

    /// A snapshot of the list, with its current weights.
    public func list(named name: String) -> WeightedList? {
        state.withLock { state in
            state.indexByName[name.lowercased()].map { state.lists[$0] }
        }
    }

    public var lists: [WeightedList] {
        state.withLock { $0.lists }
    }

    /// Applies `body` to the list under the lock and restarts its cycle, as `modify` does.
    /// Returns nil when there is no such list.
    public func modify<Result>(list name: String, _ body: (inout WeightedList) -> Result) -> Result? {
        state.withLock { state in
            guard let index = state.indexByName[name.lowercased()] else { return nil }
            let result = body(&state.lists[index])
            state.lists[index].reset()
            return result
        }
    }

    private static func makeState(_ lists: [WeightedList]) -> State {
        var state = State(lists: lists)
        for index in state.lists.indices { state.lists[index].reset() }
        for (index, list) in lists.enumerated() where state.indexByName[list.name.lowercased()] == nil {
            state.indexByName[list.name.lowercased()] = index
        }
        return state
    }
}
