/// A trie over term sequences: each edge is one whole term, so finding the longest entry
/// starting at a position costs one dictionary lookup per term, at most the longest entry.
struct TermTrie: Sendable {
    private struct Node: Sendable {
        var children: [String: Int32] = [:]
        /// The value stored for the sequence ending here, if one does.
        var value: Int32 = -1
    }

    private var nodes: [Node] = [Node()]

    /// The value already stored for `terms`, if any (to detect clashes before inserting).
    func value(for terms: [String]) -> Int? {
        var node = 0
        for term in terms {
            guard let next = nodes[node].children[term] else { return nil }
            node = Int(next)
        }
        return nodes[node].value >= 0 ? Int(nodes[node].value) : nil
    }

    /// Stores `value` for the (non-empty) sequence `terms`, replacing any previous one.
    mutating func insert(_ terms: [String], value: Int) {
        var node = 0
        for term in terms {
            if let next = nodes[node].children[term] {
                node = Int(next)
            } else {
                nodes.append(Node())
                let next = Int32(nodes.count - 1)
                nodes[node].children[term] = next
                node = Int(next)
            }
        }
        nodes[node].value = Int32(value)
    }

    /// The longest stored sequence that starts at `start` in `terms`: its length and value.
    func longestMatch(in terms: [String], from start: Int) -> (length: Int, value: Int)? {
        var node = 0
        var best: (length: Int, value: Int)? = nil
        var k = start
        while k < terms.count, let next = nodes[node].children[terms[k]] {
            node = Int(next)
            k += 1
            if nodes[node].value >= 0 { best = (k - start, Int(nodes[node].value)) }
        }
        return best
    }

    var isEmpty: Bool { nodes.count == 1 }
}
