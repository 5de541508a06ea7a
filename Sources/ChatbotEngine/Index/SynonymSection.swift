/// How an index stores its synonym groups (section SYNO): one group per line, the
/// expressions of a group separated by `;`. Expressions never contain either character:
/// the synonyms parser splits on them.
enum SynonymSection {
    static func text(_ groups: [[String]]) -> String {
        groups.map { $0.joined(separator: ";") }.joined(separator: "\n")
    }

    static func groups(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ";").map(String.init) }
    }
}
