import Testing
@testable import VectorSearch
@Test func placeholder() { #expect(VectorError.zeroVector(row: 1).description.contains("1")) }
