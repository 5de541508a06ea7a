#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// Issue 15, item 2: an index opened with `.map` opens without reading its contents, and
/// still never answers from a damaged file: the content checks run on first need.
@Suite struct MappedIndexTests {
    static let questions = ["Comment poser des congés ?", "badge perdu", "mot de passe oublié", "xyzzy"]

    /// Runs `body` with `bytes` written to a file in a fresh temporary folder.
    static func withIndexFile<R>(_ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
        let dir = IndexIntegrityTests.temporaryDirectory()
        defer { IndexIntegrityTests.removeDirectory(dir) }
        let path = dir + "/kb.cbindex"
        try writeFileAtomically(path, bytes: bytes)
        return try body(path)
    }

    static func expectInvalidIndex(_ what: String, containing needle: String, _ body: () throws(ChatbotError) -> Void) {
        do {
            try body()
            Issue.record("\(what): no error")
        } catch {
            #expect(error.kind == .invalidIndex, "\(what): \(error)")
            #expect(error.message.contains(needle), "\(what): \(error.message)")
        }
    }

    @Test func aMappedIndexAnswersAsACopiedOne() throws {
        for (name, bytes) in try IndexIntegrityTests.indexes() {
            try Self.withIndexFile(bytes) { path in
                let copied = try Engine(contentsOf: path)
                let mapped = try Engine(contentsOf: path, loading: .map)
                #expect(copied.loading == .copy && mapped.loading == .map, "\(name)")
                for q in Self.questions {
                    #expect(try mapped.match(q) == copied.match(q), "\(name): \(q)")
                }
                try mapped.verify()
                #expect(mapped.itemCount == copied.itemCount && mapped.questionCount == copied.questionCount)
                #expect(try mapped.item(id: copied.itemID(0)) == copied.item(id: copied.itemID(0)))
                // `withSettings` shares the image, hence its verification.
                #expect(try mapped.withSettings(mapped.settings).match(Self.questions[0]) == copied.match(Self.questions[0]))
            }
        }
    }

    /// One damaged byte in the body: the mapped open may succeed (the layout is intact), but
    /// then verification, every match, item lookup and save fail, on every call.
    @Test func damageInTheBodyFailsEveryCallThatNeedsTheContents() throws {
        for (name, bytes) in try IndexIntegrityTests.indexes() {
            let tableEnd = 64 + 24 * IndexIntegrityTests.sections(bytes).count
            var deferred = 0
            defer { #expect(deferred > 20, "\(name): only \(deferred) damaged files opened (the rest were refused at open)") }
            for position in Swift.stride(from: 64, to: bytes.count, by: 97) {
                var damaged = bytes
                damaged[position] ^= 0xA5
                try Self.withIndexFile(damaged) { path in
                    let engine: Engine
                    do throws(ChatbotError) {
                        engine = try Engine(contentsOf: path, loading: .map)
                    } catch {
                        // Only damage in the layout can be seen at open.
                        #expect(error.kind == .invalidIndex, "\(name): byte \(position): \(error)")
                        return
                    }
                    #expect(position >= tableEnd, "\(name): damage in the section table went unseen at open")
                    deferred += 1
                    let what = "\(name): byte \(position)"
                    Self.expectInvalidIndex(what, containing: "checksum") { () throws(ChatbotError) in try engine.verify() }
                    Self.expectInvalidIndex(what, containing: "checksum") { () throws(ChatbotError) in _ = try engine.match("badge perdu") }
                    Self.expectInvalidIndex(what, containing: "checksum") { () throws(ChatbotError) in _ = try engine.match("badge perdu") }
                    Self.expectInvalidIndex(what, containing: "checksum") { () throws(ChatbotError) in _ = try engine.item(id: engine.itemID(0)) }
                    Self.expectInvalidIndex(what, containing: "checksum") { () throws(ChatbotError) in try engine.save(to: path + ".copy") }
                }
            }
        }
    }

    /// Contents whose checksum was made to match again (a buggy writer): the deferred
    /// structural checks, not only the checksum, run on first need.
    @Test func contentChecksRunOnFirstNeed() throws {
        let bytes = try TestKnowledgeBase.engine().indexBytes
        let table = IndexIntegrityTests.sections(bytes)
        let edits: [(tag: String, value: UInt32, message: String)] = [
            ("PROW", UInt32.max, "a posting refers to a missing question"),
            ("VVAL", UInt32.max - 1, "vocabulary refers to a missing feature"),
            ("LROW", UInt32.max - 1, "learned model: a feature refers to a missing row"),
            ("LWGT", Float.nan.bitPattern, "learned model: weights are not finite"),
        ]
        // Two postings of the first list with more than one entry, swapped: the binary search
        // of the pruned matcher needs them in question order.
        do {
            let engine = try TestKnowledgeBase.engine()
            let f = try #require((0..<engine.image.featureCount).first {
                engine.image.postingOffsets[$0 + 1] - engine.image.postingOffsets[$0] >= 2
            })
            let prow = try #require(table.first { $0.tag == "PROW" })
            let at = prow.offset + 4 * Int(engine.image.postingOffsets[f])
            var swapped = bytes
            for i in 0..<4 { swapped.swapAt(at + i, at + 4 + i) }
            IndexWriter.seal(&swapped)
            IndexIntegrityTests.expectRefused(swapped, "swapped postings", containing: "posting list of feature \(f) is not in question order")
            try Self.withIndexFile(swapped) { path in
                let mapped = try Engine(contentsOf: path, loading: .map)
                Self.expectInvalidIndex("swapped postings", containing: "not in question order") { () throws(ChatbotError) in try mapped.verify() }
            }
        }
        for edit in edits {
            let section = try #require(table.first { $0.tag == edit.tag }, "\(edit.tag)")
            var damaged = bytes
            withUnsafeBytes(of: edit.value.littleEndian) { damaged.replaceSubrange(section.offset..<section.offset + 4, with: $0) }
            IndexWriter.seal(&damaged)
            // Copied: refused at open, with the same message.
            IndexIntegrityTests.expectRefused(damaged, edit.tag, containing: edit.message)
            try Self.withIndexFile(damaged) { path in
                let engine = try Engine(contentsOf: path, loading: .map)
                Self.expectInvalidIndex(edit.tag, containing: edit.message) { () throws(ChatbotError) in _ = try engine.match("badge perdu") }
                Self.expectInvalidIndex(edit.tag, containing: edit.message) { () throws(ChatbotError) in try engine.verify() }
            }
        }
    }

    @Test func damageInTheHeaderOrLayoutIsRefusedAtOpen() throws {
        let bytes = try TestKnowledgeBase.engine().indexBytes
        let tableEnd = 64 + 24 * IndexIntegrityTests.sections(bytes).count
        for position in Swift.stride(from: 0, to: tableEnd, by: 5) {
            var damaged = bytes
            damaged[position] ^= 0x10
            try Self.withIndexFile(damaged) { path in
                #expect(throws: ChatbotError.self, "byte \(position)") { try Engine(contentsOf: path, loading: .map) }
            }
        }
        for length in [0, 1, 63, 64, 100, bytes.count / 2, bytes.count - 1] {
            try Self.withIndexFile(Array(bytes[0..<length])) { path in
                Self.expectInvalidIndex("cut at \(length)", containing: "truncated") { () throws(ChatbotError) in
                    _ = try Engine(contentsOf: path, loading: .map)
                }
            }
        }
        do {
            _ = try Engine(contentsOf: "/nonexistent/kb.cbindex", loading: .map)
            Issue.record("a missing file opened")
        } catch {
            #expect(error.kind == .io && error.message.contains("No such file"), "\(error)")
        }
        let dir = IndexIntegrityTests.temporaryDirectory()
        defer { IndexIntegrityTests.removeDirectory(dir) }
        do {
            _ = try Engine(contentsOf: dir, loading: .map)
            Issue.record("a directory opened")
        } catch {
            #expect(error.kind == .io, "\(error)")
        }
    }

    /// Threads that need the contents at the same moment: one runs the check, the others
    /// wait for it, and all see the same outcome.
    @Test func concurrentFirstMatchesShareOneVerification() async throws {
        let bytes = try TestKnowledgeBase.engine().indexBytes
        var damaged = bytes
        damaged[bytes.count - 70] ^= 0xFF
        for (file, valid) in [(bytes, true), (damaged, false)] {
            try await Self.withIndexFileAsync(file) { path in
                let engine = try Engine(contentsOf: path, loading: .map)
                let outcomes = await withTaskGroup(of: String.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            do throws(ChatbotError) {
                                return try engine.match("Comment poser des congés ?").matches.first?.id ?? "none"
                            } catch { return "error: \(error.kind)" }
                        }
                    }
                    return await group.reduce(into: [String]()) { $0.append($1) }
                }
                #expect(Set(outcomes).count == 1, "\(outcomes)")
                #expect(outcomes[0].hasPrefix("error") == !valid, "\(outcomes)")
            }
        }
    }

    static func withIndexFileAsync(_ bytes: [UInt8], _ body: (String) async throws -> Void) async throws {
        let dir = IndexIntegrityTests.temporaryDirectory()
        defer { IndexIntegrityTests.removeDirectory(dir) }
        let path = dir + "/kb.cbindex"
        try writeFileAtomically(path, bytes: bytes)
        try await body(path)
    }

    /// The map sees the file it opened: replacing the file by a rename (the documented way)
    /// leaves the engine answering from the old index.
    @Test func aRenamedReplacementDoesNotReachAMappedEngine() throws {
        let old = try TestKnowledgeBase.engine()
        let other = try Engine.build(KnowledgeBase(items: [
            KnowledgeItem(id: "autre", questions: ["une toute autre question"], answer: "Autre."),
        ]))
        try Self.withIndexFile(old.indexBytes) { path in
            let engine = try Engine(contentsOf: path, loading: .map)
            try other.save(to: path)
            #expect(try engine.match("Comment poser des congés ?") == old.match("Comment poser des congés ?"))
            #expect(try Engine(contentsOf: path, loading: .map).itemID(0) == "autre")
        }
    }

    /// `Engine.build(savingTo:)` writes the index straight into the file's pages (issue 15):
    /// the file is the in-memory build's, byte for byte, the engine maps it, no temporary
    /// file stays, and a build that cannot write, or fails, leaves the destination as it was.
    @Test func aBuildSavedAsItIsMadeIsTheInMemoryBuildAndMapsIt() throws {
        let dir = IndexIntegrityTests.temporaryDirectory()
        defer { IndexIntegrityTests.removeDirectory(dir) }
        let path = dir + "/kb.cbindex"
        let kb = KnowledgeBase(items: TestKnowledgeBase.items)
        let inMemory = try Engine.build(kb)
        for round in 0..<2 {
            // The second round replaces the file the first one wrote, while its engine maps it.
            let saved = try Engine.build(kb, savingTo: path)
            #expect(saved.loading == .map, "round \(round)")
            #expect(try readFile(path, maxBytes: 1 << 30) == inMemory.indexBytes, "round \(round)")
            #expect(saved.indexBytes == inMemory.indexBytes, "round \(round)")
            for q in Self.questions { #expect(try saved.match(q) == inMemory.match(q), "round \(round): \(q)") }
            #expect(try Engine(contentsOf: path).indexBytes == inMemory.indexBytes)
        }
        #expect(Self.names(in: dir) == ["kb.cbindex"])

        let before = try readFile(path, maxBytes: 1 << 30)
        // A base that cannot be built: nothing is created.
        #expect(throws: ChatbotError.self) { try Engine.build(KnowledgeBase(items: []), savingTo: path) }
        // A destination whose folder does not exist, or that is a folder: an io error naming it.
        for target in [dir + "/missing/kb.cbindex", dir] {
            do {
                _ = try Engine.build(kb, savingTo: target)
                Issue.record("\(target): no error")
            } catch {
                #expect(error.kind == .io && error.message.contains(target), "\(error)")
            }
        }
        #expect(try readFile(path, maxBytes: 1 << 30) == before)
        #expect(Self.names(in: dir) == ["kb.cbindex"])
    }

    /// The names in a folder, sorted, without "." and "..".
    static func names(in dir: String) -> [String] {
        var names: [String] = []
        if let d = opendir(dir) {
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(d)
        }
        return names.sorted()
    }
}
