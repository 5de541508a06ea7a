#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Testing
@testable import ChatbotEngine
import EngineTestSupport

/// Issue 13: every byte of an index file is vouched for, and nothing done to the file on
/// disk reaches an engine that has it open.
@Suite struct IndexIntegrityTests {
    /// The indexes the sweeps run on: lexical with a model and messages (format 4), and with
    /// word vectors (format 5, embeddings and the model's embedding rows).
    static func indexes() throws -> [(name: String, bytes: [UInt8])] {
        [("format 4", try TestKnowledgeBase.engine().indexBytes),
         ("format 5", try Engine.build(WordVectorTests.base, wordVectors: WordVectorTests.vectors()).indexBytes)]
    }

    /// Whether `bytes` are refused with an `.invalidIndex` message (anything else, or
    /// acceptance, is recorded as a failure with `what`).
    static func expectRefused(_ bytes: [UInt8], _ what: String, containing needle: String? = nil) {
        do {
            _ = try Engine(indexBytes: bytes)
            Issue.record("\(what): accepted")
        } catch {
            let message = error.message
            guard error.kind == .invalidIndex, !message.isEmpty else {
                Issue.record("\(what): \(error) is not an invalid-index error"); return
            }
            if let needle { #expect(message.contains(needle), "\(what): \(message)") }
        }
    }

    static func sections(_ bytes: [UInt8]) -> [(tag: String, entry: Int, offset: Int, length: Int)] {
        func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        func u64(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        return (0..<u32(48)).map { i in
            let e = 64 + 24 * i
            return (String(decoding: bytes[e..<e + 4], as: UTF8.self), e, u64(e + 8), u32(e + 4) * u64(e + 16))
        }
    }

    @Test func everyBitOfTheHeaderIsChecked() throws {
        for (name, bytes) in try Self.indexes() {
            for position in 0..<64 {
                for bit in 0..<8 {
                    var damaged = bytes
                    damaged[position] ^= UInt8(1) << bit
                    Self.expectRefused(damaged, "\(name): header byte \(position) bit \(bit)")
                }
            }
        }
    }

    @Test func everyBitOfTheSectionTableIsChecked() throws {
        for (name, bytes) in try Self.indexes() {
            let tableEnd = 64 + 24 * Self.sections(bytes).count
            for position in 64..<tableEnd {
                for bit in 0..<8 {
                    var damaged = bytes
                    damaged[position] ^= UInt8(1) << bit
                    Self.expectRefused(damaged, "\(name): table byte \(position) bit \(bit)")
                }
            }
        }
    }

    /// One damaged byte anywhere: every position of both files.
    @Test func everyByteOfTheBodyIsChecked() throws {
        for (name, bytes) in try Self.indexes() {
            for position in 64..<bytes.count {
                var damaged = bytes
                damaged[position] ^= 0xA5
                Self.expectRefused(damaged, "\(name): byte \(position)", containing: "checksum")
            }
        }
    }

    @Test func everyTruncationIsRefused() throws {
        for (name, bytes) in try Self.indexes() {
            for length in 0..<bytes.count {
                Self.expectRefused(Array(bytes[0..<length]), "\(name): cut at \(length)")
            }
            Self.expectRefused(bytes + [0], "\(name): one trailing byte", containing: "trailing")
        }
    }

    /// The bytes on both sides of every section boundary, damaged; and every section's
    /// table entry moved, resized or retyped, with the checksums made to match again, so
    /// that only the structural checks can object.
    @Test func everySectionBoundaryIsChecked() throws {
        for (name, bytes) in try Self.indexes() {
            for s in Self.sections(bytes) {
                for position in [s.offset - 1, s.offset, s.offset + s.length - 1, s.offset + s.length]
                where position >= 64 && position < bytes.count {
                    var damaged = bytes
                    damaged[position] ^= 0x01
                    Self.expectRefused(damaged, "\(name): \(s.tag) boundary byte \(position)", containing: "checksum")
                }
                let edits: [(String, Int, Int)] = [("offset +64", 8, 64), ("offset -64", 8, -64), ("offset +1", 8, 1),
                                                   ("count +1", 16, 1), ("element size +1", 4, 1)]
                for (edit, field, delta) in edits {
                    var damaged = bytes
                    let at = s.entry + field
                    let width = field == 4 ? 4 : 8
                    let value = (0..<width).reduce(0) { $0 | Int(damaged[at + $1]) << (8 * $1) } + delta
                    if value < 0 { continue }
                    for k in 0..<width { damaged[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
                    IndexWriter.seal(&damaged)
                    Self.expectRefused(damaged, "\(name): \(s.tag) \(edit)")
                }
            }
        }
    }

    @Test func headerFieldsAreValidatedEvenUnderAValidChecksum() throws {
        let bytes = try TestKnowledgeBase.engine().indexBytes
        func resealed(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
            var b = bytes
            edit(&b)
            IndexWriter.seal(&b)
            return b
        }
        Self.expectRefused(resealed { $0[12] = 72 }, "header size 72", containing: "header size is 72, expected 64")
        Self.expectRefused(resealed { $0[53] = 1 }, "reserved byte", containing: "reserved header bytes are not zero")
        Self.expectRefused(resealed { $0[31] = 0x41 }, "text after the engine version", containing: "reserved header bytes are not zero")
        Self.expectRefused(resealed { $0[8] = 0 }, "version 0", containing: "version 0 is not valid")
        let newer = UInt8(IndexFormat.version + 1)
        Self.expectRefused(resealed { $0[8] = newer }, "version \(newer)", containing: "version \(newer)")
    }

    /// An old reader would silently ignore what a newer version added: a file declaring an
    /// older version must not carry it.
    @Test func aFileCannotCarrySectionsNewerThanItsVersion() throws {
        let v4 = try TestKnowledgeBase.engine().indexBytes
        for (version, tag) in [(UInt8(1), "MSGB"), (2, "MSGB"), (3, "MSGB")] {
            var b = v4
            b[8] = version
            IndexWriter.seal(&b)
            Self.expectRefused(b, "version \(version)", containing: "\(tag) belongs to format version")
        }
        var v5 = try Engine.build(WordVectorTests.base, wordVectors: WordVectorTests.vectors()).indexBytes
        v5[8] = 4
        IndexWriter.seal(&v5)
        Self.expectRefused(v5, "word vectors in version 4", containing: "WVKY belongs to format version 5")
    }

    @Test func unknownDuplicateAndOverlappingSectionsAreRefused() throws {
        let bytes = try TestKnowledgeBase.engine().indexBytes
        let table = Self.sections(bytes)
        var unknown = bytes
        unknown.replaceSubrange(table[0].entry..<table[0].entry + 4, with: Array("ZZZZ".utf8))
        IndexWriter.seal(&unknown)
        Self.expectRefused(unknown, "unknown tag", containing: "unknown section ZZZZ")

        var duplicate = bytes
        duplicate.replaceSubrange(table[1].entry..<table[1].entry + 4, with: bytes[table[0].entry..<table[0].entry + 4])
        IndexWriter.seal(&duplicate)
        Self.expectRefused(duplicate, "duplicate tag", containing: "appears twice")

        // The second section pointed at the first one's bytes.
        var overlapping = bytes
        overlapping.replaceSubrange(table[1].entry + 8..<table[1].entry + 16, with: bytes[table[0].entry + 8..<table[0].entry + 16])
        IndexWriter.seal(&overlapping)
        Self.expectRefused(overlapping, "overlapping sections", containing: "overlapping")
    }

    /// Files written before the header checksum (bytes 56..<64 zero) still open.
    @Test func aFileWithoutHeaderChecksumStillOpens() throws {
        let engine = try TestKnowledgeBase.engine()
        var legacy = engine.indexBytes
        for k in 56..<64 { legacy[k] = 0 }
        let reopened = try Engine(indexBytes: legacy)
        #expect(try reopened.match("Comment poser des congés ?") == engine.match("Comment poser des congés ?"))
    }

    // MARK: The file under an open engine

    static func temporaryDirectory() -> String {
        var template = Array("/tmp/cb-integrity-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    static func removeDirectory(_ path: String) {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { unlink(path + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(path)
    }

    /// Writes `bytes` into the existing file in place, as `cp` does (same inode).
    static func overwriteInPlace(_ path: String, with bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_TRUNC)
        #expect(fd >= 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    @Test func rewritingOrTruncatingTheOpenFileChangesNothing() throws {
        let dir = Self.temporaryDirectory()
        defer { Self.removeDirectory(dir) }
        let path = dir + "/live.cbindex"
        let original = try TestKnowledgeBase.engine()
        try writeFileAtomically(path, bytes: original.indexBytes)
        let engine = try Engine(contentsOf: path)
        let questions = ["Comment poser des congés ?", "salaire versé quand", "mutuelle", "télétravail"]
        let before = try questions.map { try engine.match($0) }

        // Another base of exactly the same size, different weights.
        var other = TestKnowledgeBase.items
        other[0].answer = "Sur le portail RH, rubrique Absences!"
        other[1].questions = other[1].questions.map { $0.uppercased() }
        let sameSize = try Engine.build(KnowledgeBase(items: other)).indexBytes
        let different = try Engine.build(WordVectorTests.base).indexBytes
        for replacement in [sameSize, different, []] {
            Self.overwriteInPlace(path, with: replacement)
            #expect(try questions.map { try engine.match($0) } == before)
        }
        truncate(path, 10)
        #expect(try questions.map { try engine.match($0) } == before)
        // Reopening the damaged file is an error, not a crash.
        #expect(throws: ChatbotError.self) { try Engine(contentsOf: path) }
    }

    /// An index too large for memory is an error the host can handle, not an abort.
    @Test func anIndexLargerThanMemoryIsOutOfMemory() throws {
        let dir = Self.temporaryDirectory()
        defer { Self.removeDirectory(dir) }
        let path = dir + "/huge.cbindex"
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        close(fd)
        // A sparse file of 8 TiB (ext4 allows 16): no disk is used, and no allocator can provide it.
        guard truncate(path, off_t(1) << 43) == 0 else { return } // the file system cannot hold it: nothing to test
        do {
            _ = try Engine(contentsOf: path)
            Issue.record("an 8 TiB index opened")
        } catch {
            guard error.kind == .outOfMemory else { Issue.record("\(error)"); return }
            let message = error.message
            #expect(message.contains("huge.cbindex"), "\(message)")
        }
    }
}
