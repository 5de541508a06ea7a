#if canImport(Glibc)
import Glibc
#endif

/// Turns what the engine knows about one (question, item) pair into the probability that
/// the item is the right answer: a logistic model (Platt scaling) over signals that mean the
/// same whatever the number of items `C` of the base (a 5-item base's softmax gives 0.2 to
/// every item without any evidence, a 60-item base's 0.017, so raw probabilities would not):
///
/// - `lift`: the learned log-probability over the uniform one, as a share of the most it can
///   be: `(logP + ln C) / ln C` (1 at p = 1, 0 at p = 1/C, floored at -5),
/// - `excess`: the probability's share of what is left above uniform, `(p − 1/C) / (1 − 1/C)`;
///   with a single item, whose probability is 1 without any evidence, both take the
///   nearest-question cosine instead,
/// - `cosine`: the item's nearest-question cosine (unseen features counted in the norm),
/// - `coverage`: the share of the question's squared TF-IDF norm on features the base knows
///   (≈ 0 for gibberish or another domain's vocabulary, 1 when every feature is known),
/// - `agreement`: `max(excess, 0) · cosine`, high only when the model and the nearest
///   question agree (either alone is weaker evidence than both).
///
/// Coefficients of all five are kept ≥ 0, so the confidence never decreases when the model
/// or the nearest question agrees more, or when more of the question's words are known. The
/// same linear score ranks items, so the reported confidences are sorted like the ranking.
struct Calibrator: Equatable {
    /// Intercept and the five signals.
    static let featureCount = 6
    /// Intercept, lift, excess, cosine, coverage, agreement.
    var coefficients: [Float]

    /// Used when a base is too small to fit on (and as the centre of the fit's penalty):
    /// rounded from the fit on held-out MASSIVE fr-FR questions, out-of-scope examples
    /// included (`scripts/fit_calibration_prior.sh`).
    static let prior = Calibrator(coefficients: [-3.92, 2.6, 2.34, 0.56, 0, 1.95])

    /// For a base whose items all have one question: no held-out question of a known item
    /// exists to fit on, and the model knows nothing the nearest question does not (MASSIVE,
    /// one question per intent: nearest question 0.207 top-1, the model 0.167, LinearSVC
    /// 0.180). The confidence is a logistic function of the nearest-question cosine, fitted
    /// once on MASSIVE's other `kb.tsv` questions (`scripts/fit_single_question_prior.py`;
    /// 0.85 at cosine 0.80, a verbatim question 0.95).
    static let singleQuestion = Calibrator(coefficients: [-3.27, 0, 0, 6.25, 0, 0])
    /// The same for a base with word vectors, whose cosine mixes the lexical and the word
    /// vectors' cosines (`… --word-vectors FILE`; 0.85 at 0.79).
    static let singleQuestionWordVectors = Calibrator(coefficients: [-4.09, 0, 0, 7.39, 0, 0])
    var isSingleQuestion: Bool { self == .singleQuestion || self == .singleQuestionWordVectors }

    static let logPFloor: Float = -30

    /// The signals of one pair; lane 0 is the intercept's 1, lanes 6 and 7 are unused.
    struct Signals: Equatable {
        var x: SIMD8<Float>

        @inline(__always)
        init(logP: Float, base: BaseSize, cosine: Float, coverage: Float) {
            let lp = max(logP, Calibrator.logPFloor)
            let excess: Float, relative: Float
            if base.uniform < 1 {
                excess = (expf(lp) - base.uniform) / (1 - base.uniform)
                relative = max(-5, (lp + base.logCount) * base.inverseLogCount)
            } else {
                // One item: its probability is 1 whatever the question, so the model has no
                // evidence to give, and the nearest question stands in for it. Without this a
                // one-item base fell back on its own verbatim question (confidence 0.03).
                excess = cosine
                relative = cosine
            }
            x = SIMD8(1, relative, excess, cosine, coverage, max(excess, 0) * cosine, 0, 0)
        }

        init(_ x: SIMD8<Float>) { self.x = x }
    }

    /// What the signals need to know of the base's size, computed once per question.
    struct BaseSize {
        let logCount: Float
        let inverseLogCount: Float
        let uniform: Float

        init(itemCount: Int) {
            let c = Float(max(1, itemCount))
            logCount = logf(c)
            inverseLogCount = c > 1 ? 1 / logCount : 0
            uniform = 1 / c
        }
    }

    @inline(__always)
    func score(_ s: Signals) -> Float {
        var z: Float = 0
        coefficients.withUnsafeBufferPointer { c in
            for i in 0..<Self.featureCount { z += c[i] * s.x[i] }
        }
        return z
    }

    @inline(__always)
    static func confidence(_ score: Float) -> Float {
        guard score.isFinite else { return score > 0 ? 1 : 0 }
        return 1 / (1 + expf(-score))
    }

    /// One calibration example, with its weight in the likelihood.
    struct Example {
        var signals: Signals
        var label: Bool
        var weight: Float = 1
    }

    /// Maximum-likelihood fit by Newton's method with an L2 pull towards `prior` of strength
    /// `priorWeight` (so that a small base stays near the prior), the monotone coefficients
    /// kept ≥ 0 by an active set (on MASSIVE the unconstrained coverage coefficient comes out
    /// slightly negative, which would favour unknown words).
    static func fit(_ examples: [Example], priorWeight: Double = 5, prior: Calibrator = Calibrator.prior) -> Calibrator {
        guard !examples.isEmpty else { return prior }
        let n = featureCount
        var beta = prior.coefficients.map(Double.init)
        let centre = beta
        // Active set: a monotone coefficient that hit 0 stays out of the Newton system, so
        // the others are re-optimised with it held at 0 (clamping alone would not).
        var pinned = [Bool](repeating: false, count: n)
        // Penalised negative log-likelihood, the quantity every accepted step lowers.
        func objective(_ beta: [Double]) -> Double {
            var total = 0.0
            for e in examples {
                var z = 0.0
                for i in 0..<n { z += beta[i] * Double(e.signals.x[i]) }
                // log(1 + e^-z) for a positive label, log(1 + e^z) for a negative one, stably.
                let m = e.label ? -z : z
                total += Double(e.weight) * (max(m, 0) + log1p(exp(-abs(m))))
            }
            for i in 0..<n { total += 0.5 * priorWeight * (beta[i] - centre[i]) * (beta[i] - centre[i]) }
            return total
        }
        var current = objective(beta)
        for _ in 0..<50 {
            var grad = [Double](repeating: 0, count: n)
            var hess = [Double](repeating: 0, count: n * n)
            for e in examples {
                var x = [Double](repeating: 0, count: n)
                for i in 0..<n { x[i] = Double(e.signals.x[i]) }
                var z = 0.0
                for i in 0..<n { z += beta[i] * x[i] }
                let p = 1 / (1 + exp(-z))
                let weight = Double(e.weight)
                let r = weight * (p - (e.label ? 1 : 0))
                let wgt = weight * max(p * (1 - p), 1e-9)
                for i in 0..<n {
                    grad[i] += r * x[i]
                    for j in 0..<n { hess[i * n + j] += wgt * x[i] * x[j] }
                }
            }
            for i in 0..<n {
                grad[i] += priorWeight * (beta[i] - centre[i])
                hess[i * n + i] += priorWeight
            }
            // The active set is re-decided every step: a coefficient is held at 0 only while
            // its gradient points below 0 (an early step must not pin it for good, and a
            // projected step that ignores the bound would stall the line search).
            for i in 1..<n { pinned[i] = beta[i] <= 0 && grad[i] >= 0 }
            for i in 0..<n where pinned[i] {
                grad[i] = 0
                for j in 0..<n { hess[i * n + j] = 0; hess[j * n + i] = 0 }
                hess[i * n + i] = 1
            }
            guard let step = solve(hess, grad, n: n) else { break }
            // Damped, projected Newton step: halve until the objective goes down.
            var t = 1.0
            var accepted: [Double]? = nil
            for _ in 0..<30 {
                var candidate = beta
                for i in 0..<n { candidate[i] -= t * step[i] }
                for i in 1..<n where candidate[i] < 0 { candidate[i] = 0 }
                let value = objective(candidate)
                if value <= current {
                    accepted = candidate
                    current = value
                    break
                }
                t /= 2
            }
            guard let next = accepted else { break }
            var change = 0.0
            for i in 0..<n { change = max(change, abs(next[i] - beta[i])) }
            beta = next
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
