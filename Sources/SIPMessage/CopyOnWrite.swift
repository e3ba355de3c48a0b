/// A value kept behind one reference and copied only when written while shared: a message or
/// URI passed from layer to layer then costs one retain per copy instead of one per field.
struct CopyOnWrite<Value: Sendable>: @unchecked Sendable {
    private final class Box {
        // Reached only through `value`, whose `_modify` makes the box unique first.
        @exclusivity(unchecked) var value: Value

        init(_ value: Value) {
            self.value = value
        }
    }

    private var box: Box

    init(_ value: Value) {
        box = Box(value)
    }

    var value: Value {
        _read { yield box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }

    /// Whether both share one box (then equal without comparing).
    func isIdentical(to other: CopyOnWrite) -> Bool {
        box === other.box
    }
}
