import ChatbotErrors
import Testing
@testable import ChatbotEngine

/// A small stand-in for the French analyser: lowercase, fold a few accents, split on spaces
/// and apostrophes, drop stop words, strip a plural "s".
private func analyze(_ text: String) -> [String] {
    let stop: Set<String> = ["de", "du", "la", "le", "l", "d", "un", "une", "des"]
    let folded = String(text.lowercased().map { c -> Character in
        switch c { case "é", "è", "ê": return "e"; case "à": return "a"; default: return c }
    })
    return folded.split(whereSeparator: { $0 == " " || $0 == "'" }).map(String.init)
        .filter { !stop.contains($0) }
        .map { $0.count > 3 && $0.hasSuffix("s") ? String($0.dropLast()) : $0 }
}

private func table(_ text: String) throws -> SynonymTable {
    try SynonymTable.parse(bytes: Array(text.utf8), fileName: "syn.txt", analyze: analyze)
}

private func expectSynonymError(_ text: String, line: Int, message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let d = sourceError({ _ = try table(text) }, sourceLocation: sourceLocation)
    #expect(d?.file == "syn.txt", sourceLocation: sourceLocation)
    #expect(d?.line == line, "\(d?.description ?? "")", sourceLocation: sourceLocation)
    #expect(d?.message.contains(message) == true, "message was: \(d?.message ?? "nil")", sourceLocation: sourceLocation)
}

@Suite struct SynonymsTests {
    @Test func loadsTheFileFormat() throws {
        let t = try SynonymTable.load(path: fixturePath("synonyms.txt"), analyze: analyze)
        #expect(t.groups == [["congé maladie", "arrêt maladie", "arrêt de travail"], ["RTT", "jour de repos"], ["arrêt", "stop"]])
        #expect(t.canonicalTerms == ["syn:conge_maladie", "syn:rtt", "syn:arret"])
        #expect(!t.isEmpty)
    }

    @Test func longestMatchWins() throws {
        let t = try SynonymTable.load(path: fixturePath("synonyms.txt"), analyze: analyze)
        #expect(t.apply(analyze("mon arrêt maladie long")) == ["mon", "syn:conge_maladie", "long"])
        #expect(t.apply(analyze("arrêt du bus")) == ["syn:arret", "bus"])
        #expect(t.apply(analyze("stop")) == ["syn:arret"])
        #expect(t.apply(analyze("arrêt de travail et jours de repos")) == ["syn:conge_maladie", "et", "syn:rtt"])
        // A prefix of a longer entry that does not complete falls back to the shorter one.
        #expect(t.apply(analyze("arrêt de bus")) == ["syn:arret", "bus"])
        #expect(t.apply(analyze("jour férié")) == ["jour", "ferie"])
        #expect(t.apply([]) == [])
    }

    @Test func matchesReportSpans() throws {
        let t = try table("congé maladie; arrêt maladie\narrêt; stop\n")
        var matches: [SynonymMatch] = []
        let out = t.apply(["mon", "arret", "maladie", "stop", "arret"], matches: &matches)
        #expect(out == ["mon", "syn:conge_maladie", "syn:arret", "syn:arret"])
        #expect(matches == [
            SynonymMatch(inputRange: 1..<3, outputIndex: 1, group: 0, canonicalTerm: "syn:conge_maladie"),
            SynonymMatch(inputRange: 3..<4, outputIndex: 2, group: 1, canonicalTerm: "syn:arret"),
            SynonymMatch(inputRange: 4..<5, outputIndex: 3, group: 1, canonicalTerm: "syn:arret"),
        ])
    }

    @Test func overlappingCandidatesAreTakenLeftToRight() throws {
        // "a b" and "b c" overlap in "a b c": the left match is taken, then "c" stays.
        let t = try table("alpha beta; x\nbeta gamma; y\n")
        #expect(t.apply(["alpha", "beta", "gamma"]) == ["syn:alpha_beta", "gamma"])
        #expect(t.apply(["beta", "gamma", "alpha"]) == ["syn:beta_gamma", "alpha"])
    }

    @Test func sameBehaviourFromGroups() throws {
        let a = try table("congé maladie; arrêt maladie\n")
        let b = try SynonymTable(groups: a.groups, analyze: analyze)
        #expect(b.groups == a.groups)
        #expect(b.apply(["arret", "maladie"]) == a.apply(["arret", "maladie"]))
        let d = sourceError { _ = try SynonymTable(groups: [["a", "b"], ["c"]], analyze: analyze) }
        #expect(d?.file == "<groups>")
        #expect(d?.line == 2)
    }

    @Test func emptyTableIsIdentity() throws {
        let t = try table("# only a comment\n\n")
        #expect(t.isEmpty)
        #expect(t.apply(["a", "b"]) == ["a", "b"])
        #expect(SynonymTable().isEmpty)
    }

    @Test func duplicateEntryInOneGroupIsAccepted() throws {
        let t = try table("congé; congés; vacances\n")
        #expect(t.apply(["conge", "vacance"]) == ["syn:conge", "syn:conge"])
    }

    @Test func errors() {
        expectSynonymError("a; b\nseul\n", line: 2, message: "a group needs at least two entries separated by ';', found only \"seul\"")
        expectSynonymError("a;;b\n", line: 1, message: "empty entry (entry 2 of the group): remove the extra ';'")
        expectSynonymError("a; b;\n", line: 1, message: "empty entry (entry 3 of the group)")
        expectSynonymError("a; b\n\n# c\nc; de la\n", line: 4, message: "entry \"de la\" has no searchable word (only stop words)")
        expectSynonymError("congé; vacances\nrepos; Congés\n", line: 2,
                           message: "entry \"Congés\" is already in the group on line 1 (an entry may belong to one group only)")
        expectSynonymError("a b; c\na_b; e\n", line: 2, message: "the group's canonical term syn:a_b is also the one of the group on line 1")
        let bad = Array("a; b\n".utf8) + [0xFF] + Array("; c\n".utf8)
        let d = sourceError { _ = try SynonymTable.parse(bytes: bad, fileName: "s.txt", analyze: analyze) }
        #expect(d == SourceDiagnostic(file: "s.txt", line: 2, message: "invalid UTF-8 (byte offset 0 in the line)"))
        #expect(throws: ChatbotError.file(path: "/nonexistent/syn.txt", reason: .notFound)) {
            _ = try SynonymTable.load(path: "/nonexistent/syn.txt", analyze: analyze)
        }
    }

    @Test func applyIsLinearOnLongInputs() throws {
        // Many entries sharing prefixes: each position walks at most the longest entry.
        let groups = (0..<200).map { ["w\($0) x y z", "alias\($0)"] }
        let t = try SynonymTable(groups: groups, analyze: analyze)
        var input: [String] = []
        for k in 0..<20_000 { input += ["w\(k % 200)", "x", "y", "z", "q"] }
        let out = t.apply(input)
        #expect(out.count == 40_000)
        #expect(out[0] == "syn:w0_x_y_z" && out[1] == "q" && out[2] == "syn:w1_x_y_z")
        #expect(t.apply(["alias5", "w5", "x", "y"]) == ["syn:w5_x_y_z", "w5", "x", "y"])
    }
}
