#if canImport(Glibc)
import Glibc
#endif

/// Turns what the engine knows about one (question, item) pair into the probability that
/// the item is the right answer: a logistic model (Platt scaling) over
///
/// - `logP`: the learned model's log-softmax probability of the item (≥ -30),
/// - `p`: that probability itself,
/// - `cosine`: the item's nearest-question cosine (unseen features counted in the norm),
/// - `coverage`: the share of the question's squared TF-IDF norm on features the base knows
///   (≈ 0 for gibberish or another domain's vocabulary, 1 when every feature is known).
///
/// Coefficients of all four are kept ≥ 0, so the confidence never decreases when the model
/// or the nearest question agrees more, or when more of the question's words are known. The same linear score ranks items, so the
/// reported confidences are sorted like the ranking.
struct Calibrator: Equatable {
    static let featureCount = 5
    /// Intercept, logP, p, cosine, coverage.
    var coefficients: [Float]

    /// Used when a base is too small to fit on (and as the centre of the fit's penalty):
    /// rounded from the fit on held-out MASSIVE fr-FR questions (10,348 questions, 60 items).
    static let prior = Calibrator(coefficients: [-2.5, 0.5, 3.5, 2.7, 0.3])

    static let logPFloor: Float = -30

    @inline(__always)
    func score(logP: Float, p: Float, cosine: Float, coverage: Float) -> Float {
        let c = coefficients
        return c[0] + c[1] * max(logP, Self.logPFloor) + c[2] * p + c[3] * cosine + c[4] * coverage
    }

    @inline(__always)
    static func confidence(_ score: Float) -> Float {
        guard score.isFinite else { return score > 0 ? 1 : 0 }
        return 1 / (1 + expf(-score))
    }

    /// One calibration example.
    struct Example {
        var features: SIMD4<Float>  // logP, p, cosine, coverage
        var label: Bool
    }

    /// Maximum-likelihood fit by Newton's method with an L2 pull towards `prior` of strength
    /// `priorWeight` (so that a small base stays near the prior), the monotone coefficients
    /// projected onto ≥ 0 after each step (on MASSIVE the unconstrained coverage
    /// coefficient comes out slightly negative, which would favour unknown words).
    static func fit(_ examples: [Example], priorWeight: Double = 5) -> Calibrator {
        guard !examples.isEmpty else { return prior }
        let n = featureCount
        var beta = prior.coefficients.map(Double.init)
        let centre = beta
        // Active set: a monotone coefficient that hit 0 stays out of the Newton system, so
        // the others are re-optimised with it held at 0 (clamping alone would not).
        var pinned = [Bool](repeating: false, count: n)
        for _ in 0..<40 {
            var grad = [Double](repeating: 0, count: n)
            var hess = [Double](repeating: 0, count: n * n)
            for e in examples {
                let x: [Double] = [1, Double(max(e.features[0], logPFloor)), Double(e.features[1]), Double(e.features[2]), Double(e.features[3])]
                var z = 0.0
                for i in 0..<n { z += beta[i] * x[i] }
                let p = 1 / (1 + exp(-z))
                let r = p - (e.label ? 1 : 0)
                let wgt = max(p * (1 - p), 1e-9)
                for i in 0..<n {
                    grad[i] += r * x[i]
                    for j in 0..<n { hess[i * n + j] += wgt * x[i] * x[j] }
                }
            }
            for i in 0..<n {
                grad[i] += priorWeight * (beta[i] - centre[i])
                hess[i * n + i] += priorWeight
            }
            for i in 0..<n where pinned[i] {
                grad[i] = 0
                for j in 0..<n { hess[i * n + j] = 0; hess[j * n + i] = 0 }
                hess[i * n + i] = 1
            }
            guard let step = solve(hess, grad, n: n) else { break }
            var change = 0.0
            for i in 0..<n {
                beta[i] -= step[i]
                change = max(change, abs(step[i]))
            }
            for i in 1...4 where beta[i] < 0 {
                beta[i] = 0
                pinned[i] = true
            }
            if change < 1e-6 { break }
        }
        return Calibrator(coefficients: beta.map { Float($0) })
    }

    /// Gaussian elimination with partial pivoting; nil when singular.
    private static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        var m = a, v = b
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(m[r * n + col]) > abs(m[pivot * n + col]) { pivot = r }
            guard abs(m[pivot * n + col]) > 1e-12 else { return nil }
            if pivot != col {
                for k in 0..<n { m.swapAt(col * n + k, pivot * n + k) }
                v.swapAt(col, pivot)
            }
            for r in (col + 1)..<n {
                let f = m[r * n + col] / m[col * n + col]
                for k in col..<n { m[r * n + k] -= f * m[col * n + k] }
                v[r] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for k in (r + 1)..<n { s -= m[r * n + k] * x[k] }
            x[r] = s / m[r * n + r]
        }
        return x
    }
}
