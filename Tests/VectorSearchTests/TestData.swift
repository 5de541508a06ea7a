@testable import VectorSearch

/// SplitMix64: a tiny seeded generator so every test run sees the same data.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Standard normal by Box–Muller.
    mutating func gaussian() -> Float {
        let u1 = Double(next() >> 11 | 1) / Double(1 << 53)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

#if canImport(Glibc)
import Glibc
#endif

enum Distribution: CaseIterable { case gaussian, clustered }

/// `rows × dim` values: isotropic Gaussian (random directions), or a mixture of 8
/// Gaussian clusters with small spread — a stand-in for real sentence embeddings, whose
/// neighbours are much closer to each other than random vectors are.
func makeVectors(rows: Int, dim: Int, seed: UInt64, _ distribution: Distribution = .gaussian) -> [Float] {
    var rng = SplitMix64(seed: seed)
    switch distribution {
    case .gaussian:
        return (0..<(rows * dim)).map { _ in rng.gaussian() }
    case .clustered:
        let centres = (0..<(8 * dim)).map { _ in rng.gaussian() }
        var out: [Float] = []
        out.reserveCapacity(rows * dim)
        for _ in 0..<rows {
            let c = Int(rng.next() % 8)
            for j in 0..<dim { out.append(centres[c * dim + j] + 0.3 * rng.gaussian()) }
        }
        return out
    }
}

/// Exact top-k in Double arithmetic, ties by lower row: the reference every kernel must match.
func bruteForce(_ values: [Float], rows: Int, dim: Int, query: [Float], k: Int) -> [SearchHit] {
    func unit(_ v: ArraySlice<Float>) -> [Double] {
        let n = v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return v.map { Double($0) / n }
    }
    let q = unit(query[...])
    var scored: [(Double, Int)] = (0..<rows).map { r in
        let v = unit(values[(r * dim)..<(r * dim + dim)])
        return (zip(v, q).reduce(0.0) { $0 + $1.0 * $1.1 }, r)
    }
    scored.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    return scored.prefix(k).map { SearchHit(row: $0.1, score: Float($0.0)) }
}

/// Fraction of `reference` rows present in `got`.
func recall(_ got: [SearchHit], _ reference: [SearchHit]) -> Double {
    let want = Set(reference.map(\.row))
    return want.isEmpty ? 1 : Double(got.filter { want.contains($0.row) }.count) / Double(want.count)
}

/// Query `i` of a row-major query block.
func query(_ qs: [Float], _ i: Int, dim: Int) -> [Float] { Array(qs[(i * dim)..<(i * dim + dim)]) }
