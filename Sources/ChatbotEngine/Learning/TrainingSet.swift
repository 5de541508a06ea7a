#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Questions as the learner sees them: sparse rows of the learned matrix (CSR) and the item
/// each question belongs to.
struct TrainingSet {
    var offsets: [Int] = [0]
    var rows: [UInt32] = []
    var values: [Float] = []
    var labels: [Int] = []

    var count: Int { labels.count }

    mutating func append(rows r: [UInt32], values v: [Float], label: Int) {
        rows += r
        values += v
        offsets.append(rows.count)
        labels.append(label)
    }
}

/// Multiclass logistic regression (softmax) over sparse inputs, trained by AdaGrad SGD with
/// an L2 penalty applied to the rows an example touches. Deterministic: the example order
/// comes from a seeded generator and everything runs on one thread in a fixed order.
struct SoftmaxTrainer {
    let rowCount: Int
    let itemCount: Int
    let stride: Int
    /// The last `denseRows` rows take dense inputs (a question embedding).
    let denseRows: Int

    /// Dense rows are touched by every example, so their AdaGrad step (a square root and a
    /// division per weight) would dominate training. Their gradients are summed over this many
    /// examples and applied once: build 4.9 s instead of 11.5 s on MASSIVE with 384-d
    /// embeddings, top-1 unchanged (chosen on kb-only splits, docs/accuracy.md). Bases under
    /// 200 × this many questions use proportionally smaller batches.
    static let denseBatch = 32

    /// The model and AdaGrad's squared-gradient sums in one array, so that training reaches
    /// them through one pointer: the weights (`rowCount × stride`), their squared-gradient
    /// sums, the bias (`stride`) and its sums, at the offsets below.
    private var state: [Float]
    private var weightCount: Int { rowCount * stride }
    private var weightSquaresOffset: Int { weightCount }
    private var biasOffset: Int { 2 * weightCount }
    private var biasSquaresOffset: Int { 2 * weightCount + stride }

    var bias: [Float] { Array(state[biasOffset..<biasOffset + stride]) }

    /// Weights and bias start at zero (`setInitial` gives a warm start). `initialSquares`,
    /// per item column (`stride` values), starts the squared-gradient sums of every row and
    /// of the bias; by default a small value that keeps the first AdaGrad steps finite.
    init(rowCount: Int, itemCount: Int, denseRows: Int = 0, initialSquares: [Float]? = nil) {
        self.rowCount = rowCount
        self.itemCount = itemCount
        self.denseRows = denseRows
        stride = ItemScoring.stride(itemCount: itemCount)
        let weightCount = rowCount * stride
        let squares = initialSquares ?? [Float](repeating: Self.smallSquares, count: stride)
        precondition(squares.count == stride, "one initial square per item column")
        // Built in place: concatenating whole arrays copied the 8-million-weight model twice.
        var state: [Float] = []
        state.reserveCapacity(2 * weightCount + 2 * stride)
        state += repeatElement(0, count: weightCount)
        for _ in 0..<rowCount { state += squares }
        state += repeatElement(0, count: stride)
        state += squares
        self.state = state
    }

    /// Writes a warm start into the (zero) weights and bias, in place: a separate starting
    /// model would be one more copy of up to 8 million weights.
    mutating func setInitial(_ body: (_ weights: UnsafeMutableBufferPointer<Float>, _ bias: UnsafeMutableBufferPointer<Float>) -> Void) {
        let (weightCount, biasOffset, stride) = (weightCount, biasOffset, stride)
        state.withUnsafeMutableBufferPointer { state in
            body(UnsafeMutableBufferPointer(rebasing: state[0..<weightCount]),
                 UnsafeMutableBufferPointer(rebasing: state[biasOffset..<biasOffset + stride]))
        }
    }

    /// The trained weights and bias. Empties the trainer: the weights are its state's own
    /// storage, cut to size in place, not a copy (swapped out, so that it is uniquely held).
    mutating func takeModel() -> (weights: [Float], bias: [Float]) {
        let bias = self.bias
        var weights: [Float] = []
        swap(&weights, &state)
        weights.removeLast(weights.count - weightCount)
        return (weights, bias)
    }

    /// The default start of the squared-gradient sums.
    static let smallSquares: Float = 1e-6

    /// `trainDense: false` keeps the dense rows as they are (they still enter the logits).
    mutating func train(_ data: TrainingSet, examples: [Int], epochs: Int, learningRate: Float, l2: Float, seed: UInt64,
                        trainDense: Bool = true) {
        var rng = SeededGenerator(seed: seed)
        var order = examples
        let n = itemCount, s = stride
        let lr = SIMD8<Float>(repeating: learningRate), decay = SIMD8<Float>(repeating: l2)
        // Polyak averaging of the end-of-epoch weights of the second half of training (below);
        // over one epoch, the average is those weights themselves: no sums to keep.
        let averaged = epochs - epochs / 2
        var sumW = [Float](repeating: 0, count: averaged > 1 ? weightCount : 0)
        var sumB = [Float](repeating: 0, count: averaged > 1 ? stride : 0)
        // A small base has few steps per epoch to spare: it keeps per-example steps.
        let batch = min(Self.denseBatch, max(1, examples.count / 200))
        let denseFirst = rowCount - denseRows
        // Frozen dense rows give every example the same dense logits each epoch: computed once.
        let frozen = !trainDense && denseRows > 0
        // Scratch, in one array: the logits and the gradient of one example, the dense rows'
        // pending gradient sums, and the frozen dense logits of every example.
        let logitsAt = 0, gradientAt = s, pendingAt = 2 * s, cachedAt = 2 * s + denseRows * s
        var scratch = [Float](repeating: 0, count: cachedAt + (frozen ? data.count * s : 0))
        var pendingCount = 0
        let (weightsAt, squaresAt, biasAt, biasSquaresAt) = (0, weightSquaresOffset, biasOffset, biasSquaresOffset)
        data.rows.withUnsafeBufferPointer { allRows in
        data.values.withUnsafeBufferPointer { allValues in
        state.withUnsafeMutableBufferPointer { state in
        scratch.withUnsafeMutableBufferPointer { scratch in
            let w = state.baseAddress! + weightsAt, g2 = state.baseAddress! + squaresAt
            let b = state.baseAddress! + biasAt, b2 = state.baseAddress! + biasSquaresAt
            let z = scratch.baseAddress! + logitsAt, d = scratch.baseAddress! + gradientAt
            let acc = scratch.baseAddress! + pendingAt, cached = scratch.baseAddress! + cachedAt
            if frozen {
                for e in examples {
                    for k in data.offsets[e]..<data.offsets[e + 1] where Int(allRows[k]) >= denseFirst {
                        ItemScoring.axpy(allValues[k], UnsafeRawPointer(w + Int(allRows[k]) * s),
                                         UnsafeMutableRawPointer(cached + e * s), count: s)
                    }
                }
            }
            func flush() {
                guard pendingCount > 0 else { return }
                for r in 0..<denseRows {
                    let o = (denseFirst + r) * s
                    Self.adagrad(UnsafeMutableRawPointer(w + o), UnsafeMutableRawPointer(g2 + o),
                                 gradient: UnsafeRawPointer(acc + r * s), scale: 1, decay: decay, lr: lr, count: s)
                }
                acc.update(repeating: 0, count: denseRows * s)
                pendingCount = 0
            }
            for epoch in 0..<epochs {
                order.shuffle(using: &rng)
                for e in order {
                    let lo = data.offsets[e]
                    var hi = data.offsets[e + 1]
                    // Dense inputs come last in an example; frozen, they are in `cached`.
                    if frozen { while hi > lo, Int(allRows[hi - 1]) >= denseFirst { hi -= 1 } }
                    let rows = UnsafeBufferPointer(rebasing: allRows[lo..<hi])
                    let values = UnsafeBufferPointer(rebasing: allValues[lo..<hi])
                    ItemScoring.logits(rows: rows, values: values, matrix: w, bias: b, stride: s, into: z)
                    if frozen {
                        ItemScoring.axpy(1, UnsafeRawPointer(cached + e * s), UnsafeMutableRawPointer(z), count: s)
                    }
                    // d = softmax(z) - onehot(label), zero on the padding lanes.
                    let norm = ItemScoring.logSumExp(z, count: n)
                    for c in 0..<n { d[c] = expf(z[c] - norm) }
                    for c in n..<s { d[c] = 0 }
                    d[data.labels[e]] -= 1
                    Self.adagrad(UnsafeMutableRawPointer(b), UnsafeMutableRawPointer(b2),
                                 gradient: UnsafeRawPointer(d), scale: 1, decay: .zero, lr: lr, count: s)
                    for k in 0..<rows.count {
                        let row = Int(rows[k])
                        if row >= denseFirst {
                            ItemScoring.axpy(values[k], UnsafeRawPointer(d), UnsafeMutableRawPointer(acc + (row - denseFirst) * s), count: s)
                            continue
                        }
                        let r = row * s
                        Self.adagrad(UnsafeMutableRawPointer(w + r), UnsafeMutableRawPointer(g2 + r),
                                     gradient: UnsafeRawPointer(d), scale: values[k], decay: decay, lr: lr, count: s)
                    }
                    if denseRows > 0, !frozen {
                        pendingCount += 1
                        if pendingCount == batch { flush() }
                    }
                }
                flush()
                // Averages the end-of-epoch weights of the second half of training (Polyak
                // averaging): it smooths the last noisy SGD steps and generalises better.
                if averaged > 1 && epoch >= epochs / 2 {
                    Self.accumulate(&sumW, w, count: averaged)
                    Self.accumulate(&sumB, b, count: averaged)
                }
            }
        }}}}
        guard averaged > 1 else { return }
        state.replaceSubrange(0..<weightCount, with: sumW)
        state.replaceSubrange(biasOffset..<biasOffset + stride, with: sumB)
    }

    /// Log-softmax probabilities of a sparse input over all items, or over all items but
    /// `excluding` (whose entry is then -infinity): the model of a base without that item.
    func logProbabilities(rows: [UInt32], values: [Float], excluding: Int?, into logP: inout [Float]) {
        var logits = [Float](repeating: 0, count: stride)
        rows.withUnsafeBufferPointer { rp in
            values.withUnsafeBufferPointer { vp in
                state.withUnsafeBufferPointer { state in
                    logits.withUnsafeMutableBufferPointer { z in
                        ItemScoring.logits(rows: rp, values: vp, matrix: state.baseAddress!, bias: state.baseAddress! + biasOffset,
                                           stride: stride, into: z.baseAddress!)
                    }
                }
            }
        }
        if let excluding { logits[excluding] = -.infinity }
        let norm = logits.withUnsafeBufferPointer { ItemScoring.logSumExp($0.baseAddress!, count: itemCount) }
        for i in 0..<itemCount { logP[i] = logits[i] - norm }
    }

    private static func accumulate(_ sum: inout [Float], _ x: UnsafeMutablePointer<Float>, count: Int) {
        let scale = 1 / Float(count)
        // Through a buffer: the optimiser does not always hoist the array's uniqueness check
        // out of this loop (8 million weights at 100,000 questions).
        sum.withUnsafeMutableBufferPointer { sum in
            for i in 0..<sum.count { sum[i] += scale * x[i] }
        }
    }

    /// One AdaGrad step on a row: `g = scale · gradient + decay · w`, `G += g²`, `w -= lr · g / √G`.
    @inline(__always)
    private static func adagrad(_ w: UnsafeMutableRawPointer, _ g2: UnsafeMutableRawPointer, gradient: UnsafeRawPointer,
                                scale: Float, decay: SIMD8<Float>, lr: SIMD8<Float>, count: Int) {
        let a = SIMD8<Float>(repeating: scale)
        var c = 0
        while c < count {
            let o = c * 4
            let wv = w.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let g = a * gradient.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + decay * wv
            let acc = g2.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + g * g
            g2.storeBytes(of: acc, toByteOffset: o, as: SIMD8<Float>.self)
            w.storeBytes(of: wv - lr * g * inverseSquareRoot(acc), toByteOffset: o, as: SIMD8<Float>.self)
            c += 8
        }
    }

    /// 1 / √x for positive finite lanes, within 2 ulp. Swift lowers `SIMD8<Float>.squareRoot()`
    /// to eight scalar `sqrtss` with a `sqrtf` call kept for errno, each lane inserted back one
    /// by one, and the division after it waits on them: that was the costliest instruction of a
    /// 100,000-question build. A bit-level estimate refined by three Newton steps stays in
    /// vector registers. (AdaGrad's sums start at 1e-6 and only grow: lanes are positive.)
    @inline(__always)
    static func inverseSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        var y = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_59DF) &- (bits &>> 1), to: SIMD8<Float>.self)
        let half = 0.5 * x, threeHalves = SIMD8<Float>(repeating: 1.5)
        y = y * (threeHalves - half * y * y)
        y = y * (threeHalves - half * y * y)
        y = y * (threeHalves - half * y * y)
        return y
    }
}
