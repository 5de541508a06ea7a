#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Testing
@testable import NPYFiles
import VectorSearch

/// A .npy file assembled by hand exactly as NumPy lays it out.
func npyBytes(header: String, version: UInt8 = 1, data: [UInt8], padTo: Int = 64) -> [UInt8] {
    let lengthBytes = version == 1 ? 2 : 4
    var text = Array(header.utf8)
    let total = (8 + lengthBytes + text.count + 1 + padTo - 1) / padTo * padTo
    text += [UInt8](repeating: 0x20, count: total - 8 - lengthBytes - text.count - 1) + [0x0A]
    var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
    for i in 0..<lengthBytes { out.append(UInt8(truncatingIfNeeded: text.count >> (8 * i))) }
    return out + text + data
}

func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
func f4(_ xs: [Float]) -> [UInt8] { xs.flatMap { le($0.bitPattern) } }

@Suite struct NPYTests {
    @Test func roundTrip() throws {
        let a = try NPYArray(rows: 3, dim: 2, values: [1, -2, 3.5, 0, .pi, 1e-30])
        let bytes = a.serialized()
        #expect(Array(bytes.prefix(8)) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerEnd = 10 + Int(bytes[8]) + Int(bytes[9]) << 8
        #expect(headerEnd % 64 == 0)
        #expect(bytes[headerEnd - 1] == 0x0A)
        #expect(String(decoding: bytes[10..<headerEnd], as: UTF8.self).hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"))
        #expect(try NPYArray(parsing: bytes) == a)
        let empty = try NPYArray(rows: 0, dim: 4, values: [])
        #expect(try NPYArray(parsing: empty.serialized()) == empty)
        #expect(throws: ChatbotError.self) { try NPYArray(rows: 2, dim: 2, values: [1]) }
    }

    @Test func readsVersionsAndDTypes() throws {
        let v2 = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }", version: 2, data: f4([1, 2]))
        #expect(try NPYArray(parsing: v2).values == [1, 2])
        let v3 = npyBytes(header: "{\"descr\": \"<f4\", \"shape\": (1, 2), \"fortran_order\": False}", version: 3, data: f4([5, 6]))
        let a3 = try NPYArray(parsing: v3)
        #expect(a3.rows == 1 && a3.dim == 2 && a3.values == [5, 6])
        let f2 = npyBytes(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }",
                          data: [Float16(1.5), Float16(-2), Float16(0.25)].flatMap { le($0.bitPattern) })
        let a2 = try NPYArray(parsing: f2)
        #expect(a2.rows == 1 && a2.dim == 3 && a2.values == [1.5, -2, 0.25])
        let f8 = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
                          data: [0.5, 1e300].flatMap { le($0.bitPattern) })
        #expect(try NPYArray(parsing: f8).values == [0.5, .infinity])
        // Python 2 era long suffix and no trailing comma.
        let old = npyBytes(header: "{'descr':'<f4','fortran_order':False,'shape':(1L, 1L)}", data: f4([7]))
        #expect(try NPYArray(parsing: old).values == [7])
    }

    @Test func rejectsMalformedFiles() {
        let good = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", data: f4([1, 2, 3, 4]))
        #expect(throws: ChatbotError.badMagic) { try NPYArray(parsing: [0x89, 0x50, 0x4E, 0x47] + good.dropFirst(4)) }
        #expect(throws: ChatbotError.badMagic) { try NPYArray(parsing: Array("hello".utf8)) }
        #expect(throws: ChatbotError.truncated(expected: 10, got: 0)) { try NPYArray(parsing: []) }
        #expect(throws: ChatbotError.truncated(expected: 10, got: 7)) { try NPYArray(parsing: Array(good.prefix(7))) }
        #expect(throws: ChatbotError.truncated(expected: 10, got: 9)) { try NPYArray(parsing: Array(good.prefix(9))) }
        #expect(good.count == 128 + 16)
        #expect(throws: ChatbotError.truncated(expected: 128, got: 40)) { try NPYArray(parsing: Array(good.prefix(40))) }
        #expect(throws: ChatbotError.truncated(expected: 144, got: 143)) { try NPYArray(parsing: Array(good.dropLast())) }
        #expect(throws: ChatbotError.trailingData(count: 1)) { try NPYArray(parsing: good + [0]) }
        var v4 = good
        v4[6] = 4
        #expect(throws: ChatbotError.unsupportedVersion(major: 4, minor: 0)) { try NPYArray(parsing: v4) }
        func parse(_ header: String, _ data: [UInt8] = f4([1])) throws(ChatbotError) { _ = try NPYArray(parsing: npyBytes(header: header, data: data)) }
        #expect(throws: ChatbotError.fortranOrder) { try parse("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }") }
        #expect(throws: ChatbotError.unsupportedDType(">f4")) { try parse("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1), }") }
        #expect(throws: ChatbotError.unsupportedDType("<i4")) { try parse("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }") }
        #expect(throws: ChatbotError.unsupportedShape([1, 1, 1])) { try parse("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }") }
        #expect(throws: ChatbotError.unsupportedShape([])) { try parse("{'descr': '<f4', 'fortran_order': False, 'shape': (), }") }
        #expect(throws: ChatbotError.unsupportedShape([Int.max / 2, 4])) {
            try parse("{'descr': '<f4', 'fortran_order': False, 'shape': (\(Int.max / 2), 4), }")
        }
        let parseErrors = [
            "not a dict",
            "{'descr': '<f4', 'fortran_order': False}",
            "{'descr': '<f4', 'shape': (1, 1)}",
            "{'fortran_order': False, 'shape': (1, 1)}",
            "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1, 1)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, x)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1]}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 1)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), 'extra': 1}",
            "{'descr: '<f4'}",
            "{'descr' '<f4'}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1)} junk",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1) 'x'}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1),",
        ]
        for h in parseErrors {
            do {
                try parse(h)
                Issue.record("accepted: \(h)")
            } catch {
                guard error.message.hasPrefix(".npy header parse error: ") else { Issue.record("\(h): \(error)"); continue }
            }
        }
        var nonASCII = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", data: f4([1]))
        nonASCII[20] = 0xE9
        #expect(throws: ChatbotError.headerParse("non-ASCII byte in a v1 header")) { try NPYArray(parsing: nonASCII) }
        var badUTF8 = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", version: 3, data: f4([1]))
        badUTF8[20] = 0xFF
        #expect(throws: ChatbotError.headerParse("invalid UTF-8 in v3 header")) { try NPYArray(parsing: badUTF8) }
    }

    @Test func fileRoundTripAndIOErrors() throws {
        let path = "/tmp/vectorsearch-npy-test-\(UInt32.random(in: 0...UInt32.max)).npy"
        let a = try NPYArray(rows: 2, dim: 3, values: [1, 2, 3, 4, 5, 6])
        try a.write(toFile: path)
        defer { unlink(path) }
        #expect(try NPYArray(contentsOfFile: path) == a)
        #expect((#expect(throws: ChatbotError.self) { try NPYArray(contentsOfFile: "/nonexistent/dir/x.npy") })?.kind == .io)
        #expect((#expect(throws: ChatbotError.self) { try a.write(toFile: "/nonexistent/dir/x.npy") })?.kind == .io)
        #expect(throws: ChatbotError.notRegularFile(path: "/tmp")) { try NPYArray(contentsOfFile: "/tmp") }
        #expect(ChatbotError.io(path: "p", errno: 2).description.contains("'p'"))
        for e in [ChatbotError.badMagic, .fortranOrder, .unsupportedDType("x"), .unsupportedShape([1, 2, 3]),
                  .truncated(expected: 2, got: 1), .trailingData(count: 3), .headerParse("h"),
                  .unsupportedVersion(major: 9, minor: 9)] {
            #expect(!e.description.isEmpty)
        }
    }

    /// Issue 13: a FIFO is refused at once (a blocking open would wait for a writer forever),
    /// and a file over the limit before any of it is read.
    @Test func pipesAndHugeFilesAreRefusedAtOnce() throws {
        let base = "/tmp/vectorsearch-npy-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkfifo(base + ".fifo", 0o600) == 0)
        defer { unlink(base + ".fifo"); unlink(base + ".npy") }
        #expect(throws: ChatbotError.notRegularFile(path: base + ".fifo")) { try NPYArray(contentsOfFile: base + ".fifo") }
        let fd = open(base + ".npy", O_CREAT | O_WRONLY, 0o644)
        close(fd)
        #expect(truncate(base + ".npy", off_t(NPYArray.maxFileBytes) + 1) == 0)
        #expect(throws: ChatbotError.tooLarge(path: base + ".npy", bytes: NPYArray.maxFileBytes + 1, limit: NPYArray.maxFileBytes)) {
            try NPYArray(contentsOfFile: base + ".npy")
        }
        #expect(ChatbotError.tooLarge(path: "p", bytes: 9, limit: 8).description.contains("more than the 8-byte limit"))
    }

    @Test func npyFeedsAMatrix() throws {
        let a = try NPYArray(parsing: try NPYArray(rows: 2, dim: 2, values: [3, 4, 0, 2]).serialized())
        let m = try VectorMatrix(rows: a.rows, dim: a.dim, values: a.values)
        #expect(try m.search([1, 0], k: 1) == [SearchHit(row: 0, score: 0.6)])
    }
}
