import ChatbotErrors
import Testing
@testable import VectorSearch

/// Owns a 64-byte-aligned copy of some bytes, standing in for a memory mapping.
final class Mapping {
    let pointer: UnsafeMutableRawPointer
    let count: Int
    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        count = bytes.count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count + 128, alignment: 64)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes.count + 128)
        if bytes.count > 0 { (pointer + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
    }
    func buffer(offset: Int = 0, count: Int? = nil) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer + offset, count: count ?? self.count)
    }
    deinit { pointer.deallocate() }
}

@Suite struct BorrowedStorageTests {
    @Test(arguments: [ElementType.float32, .float16])
    func borrowedRowsSearchLikeOwned(type: ElementType) throws {
        let (rows, dim) = (130, 21)
        let owned = try VectorMatrix(rows: rows, dim: dim, values: makeVectors(rows: rows, dim: dim, seed: 3), type: type)
        let map = owned.withUnsafeBytes { Mapping($0) }
        #expect(map.count == rows * VectorMatrix.rowStride(dim: dim, type: type) * type.byteWidth)
        let borrowed = try VectorMatrix(borrowing: map.buffer(), rows: rows, dim: dim, type: type, owner: map)
        let q = makeVectors(rows: 1, dim: dim, seed: 4)
        #expect(try borrowed.search(q, k: 9) == owned.search(q, k: 9))
        #expect(try borrowed.row(5) == owned.row(5))
        let i8 = try borrowed.converted(to: .int8)
        #expect(recall(try i8.search(q, k: 9), try owned.search(q, k: 9)) == 1)
    }

    @Test func borrowedLayoutIsChecked() throws {
        let dim = 5
        let owned = try VectorMatrix(rows: 2, dim: dim, values: [1, 2, 3, 4, 5, 5, 4, 3, 2, 1])
        let bytes = owned.withUnsafeBytes { Array($0) }
        #expect(bytes.count == 2 * 16 * 4)
        func borrow(_ edit: (inout [Float]) -> Void, offset: Int = 0, count: Int? = nil,
                    type: ElementType = .float32) throws -> VectorMatrix {
            var floats = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            edit(&floats)
            let map = floats.withUnsafeBytes { Mapping($0, offset: offset) }
            return try VectorMatrix(borrowing: map.buffer(offset: offset, count: count), rows: 2, dim: dim,
                                    type: type, owner: map)
        }
        _ = try borrow { _ in }
        #expect(throws: ChatbotError.invalidArgument("borrowed buffer is not 64-byte aligned")) { try borrow({ _ in }, offset: 4) }
        #expect(throws: ChatbotError.self) { try borrow({ _ in }, count: 100) }
        #expect(throws: ChatbotError.nonFinite(row: 1, column: 2)) { try borrow { $0[16 + 2] = .nan } }
        #expect(throws: ChatbotError.self) { try borrow { $0[16 + 2] *= 2 } }  // not unit length
        #expect(throws: ChatbotError.self) { try borrow { $0[7] = 0.5 } }  // padding must be zero
        #expect(throws: ChatbotError.zeroVector(row: 0)) { try borrow { for i in 0..<16 { $0[i] = 0 } } }
        #expect(throws: ChatbotError.self) { try borrow({ _ in }, type: .int8) }
        #expect(throws: ChatbotError.self) {
            try VectorMatrix(borrowing: UnsafeRawBufferPointer(start: nil, count: 0), rows: 0, dim: 0, owner: nil)
        }
        let empty = try VectorMatrix(borrowing: UnsafeRawBufferPointer(start: nil, count: 0), rows: 0, dim: 3, owner: nil)
        #expect(try empty.search([1, 2, 3], k: 2).isEmpty)
    }
}
