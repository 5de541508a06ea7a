import Testing
@testable import ChatbotEngine

/// `KeySort` must order exactly as the standard sort, on any input (it replaces it where a
/// question's feature keys are sorted).
@Suite struct KeySortTests {
    static func cases() -> [[UInt64]] {
        var rng = SeededGenerator(seed: 42)
        var out: [[UInt64]] = []
        for n in [0, 1, 2, 3, 24, 25, 26, 100, 257, 5_000] {
            out.append((0..<n).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) })
            out.append((0..<n).map { UInt64($0) })                          // sorted
            out.append((0..<n).map { UInt64(n - $0) })                      // reversed
            out.append((0..<n).map { UInt64(min($0, n - $0)) })             // organ pipe, duplicates
            out.append((0..<n).map { _ in UInt64.random(in: 0...3, using: &rng) })  // few values
            out.append((0..<n).map { UInt64($0 % 2 == 0 ? $0 : n + $0) << 32 | UInt64($0) })
        }
        return out
    }

    @Test func ordersLikeTheStandardSort() {
        for keys in Self.cases() {
            var sorted = keys
            KeySort.sort(&sorted)
            #expect(sorted == keys.sorted(), "\(keys.count) keys")
        }
    }
}
