/// A set of suffixes, each with an action, searched for the longest one that ends a word
/// (what Snowball calls an `among` used backwards).
///
/// The French algorithm always acts on the *longest* listed suffix, and if that suffix's
/// condition fails it does not fall back to a shorter one. So the lookup only has to find
/// the longest match; the caller then checks conditions.
///
/// Entries are bucketed by their last scalar and sorted longest first inside a bucket, so a
/// lookup compares only against suffixes that end with the word's last letter. Every
/// suffix of the algorithm ends with a Latin-1 letter, hence 256 buckets.
struct SuffixTable<Action: RawRepresentable & Sendable>: Sendable where Action.RawValue == UInt8 {
    /// The scalars of every suffix, concatenated in bucket order.
    private let scalars: [UInt32]
    private let offsets: [Int32]
    private let lengths: [Int32]
    private let actions: [UInt8]
    /// Entries ending with scalar `c` are `bucketStart[c] ..< bucketStart[c + 1]`.
    private let bucketStart: [UInt16]

    init(_ entries: KeyValuePairs<String, Action>) {
        var list: [(suffix: [UInt32], action: UInt8)] = entries.map { entry in
            let suffix = entry.key.unicodeScalars.map(\.value)
            precondition(!suffix.isEmpty && suffix.last! < 256, "suffix \(entry.key) cannot be bucketed")
            return (suffix, entry.value.rawValue)
        }
        list.sort { lhs, rhs in
            lhs.suffix.last! != rhs.suffix.last!
                ? lhs.suffix.last! < rhs.suffix.last!
                : lhs.suffix.count > rhs.suffix.count
        }
        var scalars: [UInt32] = []
        var offsets: [Int32] = []
        var lengths: [Int32] = []
        var actions: [UInt8] = []
        var bucketStart = [UInt16](repeating: 0, count: 257)
        for (suffix, action) in list {
            offsets.append(Int32(scalars.count))
            lengths.append(Int32(suffix.count))
            actions.append(action)
            scalars.append(contentsOf: suffix)
            bucketStart[Int(suffix.last!) + 1] += 1
        }
        for c in 0..<256 { bucketStart[c + 1] += bucketStart[c] }
        self.scalars = scalars
        self.offsets = offsets
        self.lengths = lengths
        self.actions = actions
        self.bucketStart = bucketStart
    }

    /// The longest suffix of `word[floor..<end]` in the table: where it starts and its action.
    /// A suffix that would begin before `floor` does not match (this is how "the suffix must
    /// lie in RV" is expressed).
    @inline(__always)
    func longestMatch(in word: UnsafeMutablePointer<UInt32>, end: Int, floor: Int) -> (start: Int, action: Action)? {
        guard end > floor else { return nil }
        let last = word[end - 1]
        guard last < 256 else { return nil }
        let room = end - floor
        var k = Int(bucketStart[Int(last)])
        let stop = Int(bucketStart[Int(last) + 1])
        guard k < stop else { return nil }
        // Raw buffers: the indices come from the table's own construction, and this runs
        // several times per word.
        return lengths.withUnsafeBufferPointer { lengths in
            offsets.withUnsafeBufferPointer { offsets in
                scalars.withUnsafeBufferPointer { scalars -> (start: Int, action: Action)? in
                    entries: while k < stop {
                        let length = Int(lengths[k])
                        if length <= room {
                            let offset = Int(offsets[k])
                            let start = end - length
                            // The last scalar is equal by construction of the bucket.
                            var m = 0
                            while m < length - 1 {
                                if scalars[offset + m] != word[start + m] {
                                    k += 1
                                    continue entries
                                }
                                m += 1
                            }
                            return (start, Action(rawValue: actions[k])!)
                        }
                        k += 1
                    }
                    return nil
                }
            }
        }
    }
}
