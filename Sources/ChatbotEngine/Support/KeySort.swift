/// Sorts the `UInt64` keys of one question's features (about a hundred; see `Weighting`).
///
/// The standard library's sort is a stable merge sort through a comparison closure; on these
/// short arrays of plain integers it was 7% of an update's instructions at 10,000 questions.
/// This is a quicksort (median of three) that finishes small ranges by insertion, and hands
/// a range that recursed too deep to the standard sort, so no input makes it quadratic.
enum KeySort {
    static func sort(_ keys: inout [UInt64]) {
        keys.withUnsafeMutableBufferPointer { sort($0, 0, $0.count, depth: 2 * (Int.bitWidth - $0.count.leadingZeroBitCount)) }
    }

    private static let insertionLimit = 24

    private static func sort(_ a: UnsafeMutableBufferPointer<UInt64>, _ lo: Int, _ hi: Int, depth: Int) {
        var lo = lo, hi = hi, depth = depth
        while hi - lo > insertionLimit {
            if depth == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: a[lo..<hi])
                rest.sort()
                return
            }
            depth -= 1
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi - 1] < a[lo] { a.swapAt(hi - 1, lo) }
            if a[hi - 1] < a[mid] { a.swapAt(hi - 1, mid) }
            let pivot = a[mid]
            var i = lo, j = hi - 1
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if j - lo < hi - i {
                sort(a, lo, j + 1, depth: depth)
                lo = i
            } else {
                sort(a, i, hi, depth: depth)
                hi = j + 1
            }
        }
        if hi - lo < 2 { return }
        for k in (lo + 1)..<hi {
            let x = a[k]
            var m = k
            while m > lo && a[m - 1] > x {
                a[m] = a[m - 1]
                m -= 1
            }
            a[m] = x
        }
    }
}
