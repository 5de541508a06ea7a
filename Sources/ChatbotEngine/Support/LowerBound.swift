/// The first index in `from..<to` of `values`, increasing there, whose value is ≥ `value`
/// (`to` when there is none): where a question sits in a posting list, or a position among
/// the repeated counts.
func lowerBound<C: RandomAccessCollection<UInt32>>(_ values: C, _ value: UInt32, from: Int, to: Int) -> Int where C.Index == Int {
    var lo = from, hi = to
    while lo < hi {
        let mid = (lo + hi) / 2
        if values[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
