import ChatbotErrors
/// Groups of interchangeable words or phrases, applied to analysed terms so that a question
/// and a knowledge-base entry using different synonyms still share a term.
///
/// ## File format
/// UTF-8 text, one group per line, entries separated by `;`:
/// ```
/// # Absences
/// congé maladie; arrêt maladie; arrêt de travail
/// RTT; jour de repos
/// badge; carte d'accès
/// ```
/// - An entry may have several words. Spaces around entries are ignored.
/// - Lines whose first non-blank character is `#` are comments; blank lines are ignored.
/// - Errors (file + line): a line with a single entry, an empty entry (`a;;b`, a trailing
///   `;`), an entry whose words are all stop words (it analyses to no term), and an entry
///   that is already in another group (compared after analysis, so `Congés` and `congé`
///   are the same entry). The same entry twice in one group is harmless and accepted.
///
/// ## Matching
/// Entries are compared after the analyser (`analyze`, the engine passes the French
/// analyser's `terms`), so case, accents, plurals and stop words do not matter.
/// `apply` scans the terms left to right and replaces the longest entry found at each
/// position by its group's canonical term; matches never overlap. With groups
/// `arrêt maladie; congé maladie` and `arrêt; stop`, the terms of "arrêt maladie long"
/// become `syn:arret_maladi long`, and those of "arrêt du bus" `syn:arret bus`.
///
/// The canonical term is `syn:` followed by the first entry's terms joined by `_`: readable
/// in explanations, stable when groups are reordered, and never equal to a term the
/// analyser produces (analysed terms contain no `:`).
public struct SynonymTable: Sendable {
    /// The original entries of each group (trimmed), as written in the source.
    public private(set) var groups: [[String]]
    /// Canonical term of each group.
    public private(set) var canonicalTerms: [String]
    private var trie: TermTrie

    public var isEmpty: Bool { groups.isEmpty }

    /// A table without any group: `apply` returns its input.
    public init() {
        groups = []
        canonicalTerms = []
        trie = TermTrie()
    }

    /// Builds a table from groups of entries (e.g. read back from an index). Errors are of
    /// kind `invalidSource`, their diagnostic naming file `<groups>` and the 1-based group
    /// number as line.
    public init(groups: [[String]], analyze: (String) -> [String]) throws(ChatbotError) {
        try self.init(lines: groups.enumerated().map { ($0.offset + 1, $0.element) }, fileName: "<groups>", analyze: analyze)
    }

    /// Parses the synonyms file format described above; `fileName` labels the diagnostics.
    public static func parse(bytes: [UInt8], fileName: String, analyze: (String) -> [String]) throws(ChatbotError) -> SynonymTable {
        var lines: [(Int, [String])] = []
        var lineNumber = 0
        var start = byteOrderMarkLength(bytes)
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
                throw ChatbotError.diagnostic(file: fileName, line: lineNumber,
                                       message: "invalid UTF-8 (byte offset \(firstInvalidUTF8Offset(bytes[start..<end])) in the line)")
            }
            start = next
            let trimmed = text.trimmingWhitespace
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            lines.append((lineNumber, trimmed.split(separator: ";", omittingEmptySubsequences: false).map { String($0) }))
        }
        return try SynonymTable(lines: lines, fileName: fileName, analyze: analyze)
    }

    /// Reads and parses a synonyms file (throws `ChatbotError` or `SourceDiagnostic`).
    public static func load(path: String, analyze: (String) -> [String]) throws(ChatbotError) -> SynonymTable {
        try parse(bytes: try readFile(path, maxBytes: InputLimits.maxSynonymsBytes), fileName: path, analyze: analyze)
    }

    private init(lines: [(line: Int, entries: [String])], fileName: String, analyze: (String) -> [String]) throws(ChatbotError) {
        self.init()
        /// Line of each group, to name the other line when an entry is in two groups.
        var groupLines: [Int] = []
        var canonicalOwner: [String: Int] = [:]
        for (line, rawEntries) in lines {
            func fail(_ message: String) -> ChatbotError {
                .diagnostic(file: fileName, line: line, message: message)
            }
            let entries = rawEntries.map { $0.trimmingWhitespace }
            if let empty = entries.firstIndex(where: \.isEmpty) {
                throw fail("empty entry (entry \(empty + 1) of the group): remove the extra ';'")
            }
            guard entries.count >= 2 else {
                throw fail("a group needs at least two entries separated by ';', found only \"\(entries.first ?? "")\"")
            }
            let group = groups.count
            var canonical = ""
            for (k, entry) in entries.enumerated() {
                let terms = analyze(entry)
                guard !terms.isEmpty else {
                    throw fail("entry \"\(entry)\" has no searchable word (only stop words)")
                }
                if k == 0 { canonical = "syn:" + terms.joined(separator: "_") }
                if let other = trie.value(for: terms) {
                    if other == group { continue }  // same entry twice in this group: harmless
                    throw fail("entry \"\(entry)\" is already in the group on line \(groupLines[other]) (an entry may belong to one group only)")
                }
                trie.insert(terms, value: group)
            }
            if let other = canonicalOwner[canonical] {
                throw fail("the group's canonical term \(canonical) is also the one of the group on line \(groupLines[other])")
            }
            canonicalOwner[canonical] = group
            groups.append(entries)
            canonicalTerms.append(canonical)
            groupLines.append(line)
        }
    }

    /// Replaces each synonym occurrence (longest match first, via a token trie over terms)
    /// by its group's canonical term; other terms are kept. Linear in `terms.count` times the
    /// longest entry's length.
    public func apply(_ terms: [String]) -> [String] {
        var ignored: [SynonymMatch] = []
        return apply(terms, matches: &ignored)
    }

    /// Same as `apply(_:)`, and appends to `matches` each replaced span.
    public func apply(_ terms: [String], matches: inout [SynonymMatch]) -> [String] {
        if trie.isEmpty { return terms }
        var out: [String] = []
        out.reserveCapacity(terms.count)
        var k = 0
        while k < terms.count {
            if let match = trie.longestMatch(in: terms, from: k) {
                matches.append(SynonymMatch(inputRange: k..<k + match.length, outputIndex: out.count,
                                            group: match.value, canonicalTerm: canonicalTerms[match.value]))
                out.append(canonicalTerms[match.value])
                k += match.length
            } else {
                out.append(terms[k])
                k += 1
            }
        }
        return out
    }
}
