#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import VectorSearch

/// The learned part of an index: which features have a row, the feature-major weights, the
/// per-item bias and the calibrator.
struct LearnedModel {
    /// Per feature id: its row in `weights`, or `LearnedModel.noRow`.
    var rowOf: [UInt32]
    /// Rows of the sparse features, then (from `embeddingRow`) one row per embedding
    /// dimension, already multiplied by the embedding scale so a unit query vector is the input.
    var weights: [Float]
    /// First row of the embedding block; nil when the model does not use embeddings.
    var embeddingRow: Int?
    var bias: [Float]
    var calibrator: Calibrator

    static let noRow = UInt32.max

    /// What is known of a model before training: which features get a row, and the sizes.
    struct Shape {
        let rowOf: [UInt32]
        /// Items rounded up to whole SIMD vectors (`ItemScoring.stride`): the length of a row.
        let stride: Int
        let embeddingRow: Int?
        let rowCount: Int
        var weightCount: Int { rowCount * stride }
    }
}

/// A previous model to start from, with the identity of its features and items.
struct WarmStart {
    let featureRow: (UInt64) -> Int?
    let itemIndex: [String: Int]
    let weights: UnsafeBufferPointer<Float>
    let bias: UnsafeBufferPointer<Float>
    let stride: Int
    let calibrator: Calibrator
    /// First row of the previous model's embedding block (scaled weights), and its dimension.
    let embeddingRow: Int?
    let embeddingDim: Int
    /// Per item id: `questionDigest` of its questions in the previous base.
    var questionDigests: [String: UInt64] = [:]

    /// Never inside a question (the sources refuse NUL).
    static let questionSeparator: UInt8 = 0

    /// A digest of an item's questions, in order: equal digests mean the item's training
    /// examples are the same text as before (`Engine.warmStartSource` computes it in place).
    static func questionDigest(_ questions: [String]) -> UInt64 {
        var bytes: [UInt8] = []
        for q in questions {
            bytes.append(contentsOf: q.utf8)
            bytes.append(questionSeparator)
        }
        return bytes.withUnsafeBytes { Checksum.compute($0) }
    }
}

/// Learns item vectors from the questions of a base, and calibrates them by cross-validation.
///
/// Inputs are the builder's own arrays (unit TF-IDF question vectors in CSR, document
/// frequencies and the inverted index), so learning sees exactly the features matching uses.
struct ModelLearner {
    let options: LearningOptions
    let itemCount: Int
    let questionItems: [UInt32]
    var questionOffsets: [UInt32]
    /// Each question's unit vector. The builder gives its features in extraction order;
    /// `learn` puts those of the questions it reads in feature order, the order of the
    /// float sums the model was tuned with (a warm update reads a few thousand questions:
    /// sorting all of them was 6% of an update at 100,000 questions).
    var questionFeatures: [UInt32]
    var questionWeights: [Float]
    let documentFrequency: [Int]
    let postingOffsets: [UInt32]
    let postingRows: [UInt32]
    let postingWeights: [Float]
    /// First question and question count of each item.
    let itemQuestions: [(first: Int, count: Int)]
    /// Unit question embeddings, questions × `embeddingDim` (zero rows for questions without
    /// one); empty, with `embeddingDim` 0, when the model does not use embeddings.
    var embeddings: [Float] = []
    var embeddingDim: Int = 0
    /// A calibrator chosen by the builder instead of cross-validation (a base of
    /// single-question items, which has nothing to hold out).
    var fixedCalibrator: Calibrator? = nil

    var questionCount: Int { questionItems.count }
    var featureCount: Int { documentFrequency.count }

    /// Candidates per held-out question that enter the calibration data.
    static let candidatesByModel = 5
    static let candidatesByCosine = 3
    /// Weight of an out-of-scope calibration example relative to an in-scope one: the share
    /// of out-of-scope questions the confidence assumes (see docs/accuracy.md).
    /// Candidates by model and by cosine per out-of-scope example: the ones a wrong answer
    /// would come from.
    static let outOfScopeCandidates = 1
    static let outOfScopeWeight: Float = 0.1

    /// The shape of the model `learn` makes, known before any training (which features get a
    /// row, hence every array's size); nil when no feature gets a row: no model.
    func shape() -> LearnedModel.Shape? {
        let stride = ItemScoring.stride(itemCount: itemCount)
        let rowOf = selectRows(stride: stride)
        let sparseRows = rowOf.reduce(0) { $0 + ($1 == LearnedModel.noRow ? 0 : 1) }
        guard sparseRows > 0 else { return nil }
        return LearnedModel.Shape(rowOf: rowOf, stride: stride, embeddingRow: embeddingDim > 0 ? sparseRows : nil,
                                  rowCount: sparseRows + embeddingDim)
    }

    /// The model of `shape` (from `shape()`) for these questions. With a usable `warmStart`,
    /// its weights are the starting point and its calibrator is kept; `itemDigests` (each
    /// item's `WarmStart.questionDigest`), when given, limit the retraining to what changed
    /// (`updateExamples`).
    mutating func learn(_ shape: LearnedModel.Shape, hashes: [UInt64], itemIDs: [String], warmStart: WarmStart?,
                        itemDigests: [UInt64]? = nil) -> LearnedModel {
        let (stride, rowOf, embeddingRow, rowCount) = (shape.stride, shape.rowOf, shape.embeddingRow, shape.rowCount)
        let calibrator: Calibrator
        var epochs = Self.epochs(options.epochs, examples: questionCount)
        var rate = options.learningRate
        // Embedding rows carry over frozen in a warm start (below); an item they have never
        // seen, or a previous model without them, would leave them empty: a cold build then.
        let usableWarmStart = warmStart.flatMap { warm -> WarmStart? in
            // A previous single-question calibrator must not outlive the regime that chose it.
            guard warm.calibrator.isSingleQuestion == (fixedCalibrator != nil) else { return nil }
            guard embeddingRow != nil else { return warm }
            guard warm.embeddingRow != nil, warm.embeddingDim == embeddingDim,
                  !itemIDs.contains(where: { warm.itemIndex[$0] == nil }) else { return nil }
            return warm
        }
        let updated = questionsRead(warmStart: usableWarmStart, itemIDs: itemIDs, itemDigests: itemDigests)
        // An update trains on a few thousand questions: only theirs are made model rows.
        sortFeatures(of: updated ?? Array(0..<questionCount))
        let data = trainingSet(rowOf: rowOf, embeddingRow: embeddingRow, questions: updated, keep: { _ in true })
        if let warm = usableWarmStart {
            calibrator = fixedCalibrator ?? warm.calibrator
            // The previous solution is close: half the passes at half the step adapt it to
            // what changed without first throwing it away (AdaGrad's first steps are large).
            // Embedding rows, touched by every question, would drift most under the kept
            // calibrator (answered precision 0.943 instead of 0.955 on MASSIVE): they stay as
            // they were, and the word features adapt.
            epochs = max(2, Self.epochs(options.epochs, examples: questionCount) / 2)
            rate /= 2
        } else if let fixedCalibrator {
            calibrator = fixedCalibrator
        } else {
            calibrator = calibrate(rowOf: rowOf, rowCount: rowCount, embeddingRow: embeddingRow, data: data)
        }
        let examples = updated ?? Array(0..<data.count)
        // AdaGrad's first step on a coordinate has the learning rate's size whatever its
        // gradient: from a warm start, that would shake every weight an example touches.
        // Columns of items the previous model knew start as if trained; a new item's column
        // starts fresh, since it must grow from zero. Models with embedding rows keep the
        // small start they were measured with (their updates freeze those rows instead).
        var squares: [Float]? = nil
        if let warm = usableWarmStart, embeddingDim == 0 {
            squares = (0..<stride).map { c in
                c < itemIDs.count && warm.itemIndex[itemIDs[c]] != nil ? Self.warmSquares : SoftmaxTrainer.smallSquares
            }
        }
        var trainer = SoftmaxTrainer(rowCount: rowCount, itemCount: itemCount, denseRows: embeddingDim, initialSquares: squares)
        if let warm = usableWarmStart {
            trainer.setInitial { weights, bias in
                warmWeights(warm, hashes: hashes, rowOf: rowOf, embeddingRow: embeddingRow, itemIDs: itemIDs, stride: stride,
                            into: weights, bias)
            }
        }
        if !examples.isEmpty {
            trainer.train(data, examples: examples, epochs: epochs, learningRate: rate,
                          l2: options.l2, seed: options.seed, trainDense: usableWarmStart == nil)
        }
        var (weights, bias) = trainer.takeModel()
        if let first = embeddingRow {
            // Scaled once here so that matching feeds the unit query vector as it is.
            for i in (first * stride)..<(rowCount * stride) { weights[i] *= options.embeddingScale }
        }
        return LearnedModel(rowOf: rowOf, weights: weights, embeddingRow: embeddingRow, bias: bias, calibrator: calibrator)
    }

    /// The questions a warm start trains on (`updateExamples`), nil for all of them; the
    /// others' rows of `questionFeatures` may be left empty. Host embeddings can change
    /// under unchanged texts: their bases retrain everything. So does a base with a new item,
    /// which needs its natural share among all examples: trained on a sample, it took 1.3 to
    /// 3 points of top-1 on MASSIVE dev.
    func questionsRead(warmStart: WarmStart?, itemIDs: [String], itemDigests: [UInt64]?) -> [Int]? {
        // `learn`'s usable warm start, as far as a model without embeddings goes.
        guard let warm = warmStart, embeddingDim == 0, warm.calibrator.isSingleQuestion == (fixedCalibrator != nil),
              let itemDigests, itemIDs.allSatisfy({ warm.itemIndex[$0] != nil }) else { return nil }
        return updateExamples(changed: itemIDs.indices.map { warm.questionDigests[itemIDs[$0]] != itemDigests[$0] })
    }

    /// Puts the features (and weights) of each of `questions` in feature order.
    private mutating func sortFeatures(of questions: [Int]) {
        var keys: [UInt64] = [], weights: [Float] = []
        let offsets = questionOffsets
        questionFeatures.withUnsafeMutableBufferPointer { features in
            questionWeights.withUnsafeMutableBufferPointer { values in
                for q in questions {
                    let start = Int(offsets[q]), end = Int(offsets[q + 1])
                    keys.removeAll(keepingCapacity: true)
                    weights.removeAll(keepingCapacity: true)
                    var sorted = true
                    for j in start..<end {
                        keys.append(UInt64(features[j]) << 32 | UInt64(j - start))
                        weights.append(values[j])
                        if j > start && features[j] < features[j - 1] { sorted = false }
                    }
                    if sorted { continue }
                    KeySort.sort(&keys)
                    for (k, key) in keys.enumerated() {
                        features[start + k] = UInt32(truncatingIfNeeded: key >> 32)
                        values[start + k] = weights[Int(truncatingIfNeeded: key & 0xFFFF_FFFF)]
                    }
                }
            }
        }
    }

    /// The squared-gradient sums a warm start gives the columns of items it knew (see
    /// `learn`): 0.1 was best of 1e-6, 0.01, 0.1 and 1 on MASSIVE updates (docs/accuracy.md).
    static let warmSquares: Float = 0.1

    /// Replayed examples of unchanged items in an update: at least this many, and at least
    /// `replayPerChangedExample` per changed one.
    static let minimumReplay = 2_000
    static let replayPerChangedExample = 4

    /// The examples a warm start trains on: every question of the items whose questions
    /// changed (new items included), and a seeded sample of the other questions. The
    /// softmax step on a changed item's question lowers every other item's score for its
    /// features; the replayed questions pull the others back where their own questions
    /// need them, as a full retraining would, at a small share of its cost (issue 15: a
    /// one-question update of a 100,000-question base retrained on all of them, 11 of its
    /// 17 seconds). Nothing changed: nothing to train.
    func updateExamples(changed: [Bool]) -> [Int] {
        var changedQuestions: [Int] = [], others: [Int] = []
        for q in 0..<questionCount {
            if changed[Int(questionItems[q])] { changedQuestions.append(q) } else { others.append(q) }
        }
        guard !changedQuestions.isEmpty else { return [] }
        let replay = min(others.count, max(Self.minimumReplay, Self.replayPerChangedExample * changedQuestions.count))
        var rng = SeededGenerator(seed: options.seed ^ 0x5EED_0F0F_5EED)
        others.shuffle(using: &rng)
        return (changedQuestions + others.prefix(replay)).sorted()
    }

    /// Appends question `q`'s embedding (scaled) as model inputs, if it has one.
    func appendEmbedding(of q: Int, embeddingRow: Int?, rows: inout [UInt32], values: inout [Float]) {
        guard let first = embeddingRow else { return }
        let row = embeddings[(q * embeddingDim)..<((q + 1) * embeddingDim)]
        guard row.contains(where: { $0 != 0 }) else { return }
        for (d, x) in row.enumerated() {
            rows.append(UInt32(first + d))
            values.append(options.embeddingScale * x)
        }
    }

    /// Every feature gets a row while features × items fits `maxWeights` (less the embedding
    /// rows, which come first); beyond, the most frequent features (ties: earlier id) keep
    /// theirs, since rare features carry little evidence the nearest-question cosine does not
    /// already use.
    func selectRows(stride: Int) -> [UInt32] {
        let maxRows = max(0, options.maxWeights / stride - embeddingDim)
        var rowOf = [UInt32](repeating: LearnedModel.noRow, count: featureCount)
        if featureCount <= maxRows {
            for f in 0..<featureCount { rowOf[f] = UInt32(f) }
            return rowOf
        }
        let kept = (0..<featureCount).sorted {
            documentFrequency[$0] != documentFrequency[$1] ? documentFrequency[$0] > documentFrequency[$1] : $0 < $1
        }.prefix(maxRows).sorted()
        for (r, f) in kept.enumerated() { rowOf[f] = UInt32(r) }
        return rowOf
    }

    /// Questions as model rows; `keep(feature)` drops features (unseen in a training fold).
    /// With `questions` (increasing), the other questions' rows are left empty.
    func trainingSet(rowOf: [UInt32], embeddingRow: Int?, questions: [Int]? = nil, keep: (Int) -> Bool) -> TrainingSet {
        var set = TrainingSet()
        var next = 0
        if questions == nil {
            set.rows.reserveCapacity(questionFeatures.count)
            set.values.reserveCapacity(questionFeatures.count)
        }
        for q in 0..<questionCount {
            var rows: [UInt32] = [], values: [Float] = []
            if let questions {
                guard next < questions.count, questions[next] == q else {
                    set.append(rows: rows, values: values, label: Int(questionItems[q]))
                    continue
                }
                next += 1
            }
            for j in Int(questionOffsets[q])..<Int(questionOffsets[q + 1]) {
                let f = Int(questionFeatures[j])
                guard rowOf[f] != LearnedModel.noRow, keep(f) else { continue }
                rows.append(rowOf[f])
                values.append(questionWeights[j])
            }
            appendEmbedding(of: q, embeddingRow: embeddingRow, rows: &rows, values: &values)
            set.append(rows: rows, values: values, label: Int(questionItems[q]))
        }
        return set
    }

    /// Stratified folds over questions: each item's questions, shuffled with the seed, are dealt
    /// round-robin (the deal continuing from item to item). Questions of single-question items
    /// get fold -1: they always train, since holding them out would leave their item unknown.
    func folds(_ k: Int) -> [Int] {
        var fold = [Int](repeating: -1, count: questionCount)
        var rng = SeededGenerator(seed: options.seed ^ 0xC0FF_EE00)
        var next = 0
        for (first, count) in itemQuestions where count >= 2 {
            for q in Array(first..<(first + count)).shuffled(using: &rng) {
                fold[q] = next
                next = (next + 1) % k
            }
        }
        return fold
    }

    /// Calibration data from k-fold cross-validation, then the calibrator's fit. Each held-out
    /// question is seen as the engine would see it: through a model trained without its fold,
    /// with the cosine to the other folds' questions only, and with features that occur only in
    /// its fold counted as unseen.
    func calibrate(rowOf: [UInt32], rowCount: Int, embeddingRow: Int?, data: TrainingSet) -> Calibrator {
        let k = options.folds(questionCount: questionCount)
        let fold = folds(k)
        var examples: [Calibrator.Example] = []
        var scratch = HeldOutScratch(questionCount: questionCount, itemCount: itemCount)
        for f in 0..<k {
            // A large base holds out one fold, and calibrates on an even sample of it (the
            // model and the frequencies still leave the whole fold out).
            let large = questionCount > Self.maxCalibrationQuestions
            if large && f > 0 { break }
            let heldOut = (0..<questionCount).filter { fold[$0] == f }
            let sampled = large ? Self.evenSample(heldOut, Self.largeBaseCalibrationSample) : heldOut
            if sampled.isEmpty { continue }
            var foldFrequency = documentFrequency
            for q in heldOut {
                for j in Int(questionOffsets[q])..<Int(questionOffsets[q + 1]) { foldFrequency[Int(questionFeatures[j])] -= 1 }
            }
            var trainer = SoftmaxTrainer(rowCount: rowCount, itemCount: itemCount, denseRows: embeddingDim)
            let training = (0..<questionCount).filter { fold[$0] != f }
            trainer.train(data, examples: training, epochs: Self.epochs(options.epochs, examples: training.count),
                          learningRate: options.learningRate, l2: options.l2, seed: options.seed &+ UInt64(f + 1))
            var frequencyItem = -1
            for q in sampled {
                let label = Int(questionItems[q])
                // Held-out questions come in question order, so grouped by item: the item's
                // feature counts are computed once per item and fold.
                if label != frequencyItem {
                    frequencyItem = label
                    countItemFeatures(label, outside: f, fold: fold, into: &scratch.itemFrequency)
                }
                let inputs = heldOutInputs(q, fold: fold, f, foldFrequency: foldFrequency, rowOf: rowOf,
                                           embeddingRow: embeddingRow, scratch: &scratch)
                appendExamples(for: label, inputs: inputs, trainer: trainer, scratch: &scratch, to: &examples)
            }
        }
        return Calibrator.fit(examples)
    }

    /// Above this many questions, calibration holds out one fold and looks at an even sample
    /// of `largeBaseCalibrationSample` of its questions, in question order (which keeps each
    /// item's questions together). Each held-out question costs its posting lists, which grow
    /// with the base, and each fold a model: calibration grew with the square of the base's
    /// size (60 % of a 20,000-question build). Platt scaling fits 5 signals: thousands of
    /// questions, each with several candidates, are plenty. MASSIVE fr-FR (10,348 questions)
    /// is below it, so its calibration is unchanged.
    static let maxCalibrationQuestions = 12_000
    /// The held-out questions a base above `maxCalibrationQuestions` is calibrated on.
    static let largeBaseCalibrationSample = 6_000

    /// Example visits one model's training is allowed: a base whose examples × `epochs`
    /// exceed it trains fewer passes, never fewer than 3. A large base's passes each carry
    /// many examples of every item; MASSIVE (10,348 × 6) stays far below it.
    static let trainingExampleBudget = 300_000

    static func epochs(_ epochs: Int, examples: Int) -> Int {
        min(epochs, max(3, trainingExampleBudget / max(1, examples)))
    }

    /// At most `limit` of `values`, evenly spaced, in their order.
    static func evenSample(_ values: [Int], _ limit: Int) -> [Int] {
        guard values.count > limit else { return values }
        return (0..<limit).map { values[$0 * values.count / limit] }
    }

    /// Buffers reused from one held-out question to the next.
    struct HeldOutScratch {
        var questionScores: [Float]
        var itemCosine: [Float]
        var logP: [Float]
        /// Per feature, its count in the current item's training questions.
        var itemFrequency: [UInt32: Int] = [:]
        /// The questions whose `questionScores` entry is not 0.
        var touched: [Int] = []

        init(questionCount: Int, itemCount: Int) {
            questionScores = [Float](repeating: 0, count: questionCount)
            itemCosine = [Float](repeating: 0, count: itemCount)
            logP = [Float](repeating: 0, count: itemCount)
        }
    }

    /// A held-out question's model inputs, as the base without its fold knows it
    /// (`inScope`), and as the base without its fold and without its item knows it
    /// (`outOfScope`): the learned rows and values, and the coverage of its features.
    struct HeldOutInputs {
        var rows: [UInt32] = [], values: [Float] = [], coverage: Float = 0
        var otherRows: [UInt32] = [], otherValues: [Float] = [], otherCoverage: Float = 0
    }

    /// Counts, per feature, the training questions of `item` outside fold `f`.
    private func countItemFeatures(_ item: Int, outside f: Int, fold: [Int], into frequency: inout [UInt32: Int]) {
        frequency.removeAll(keepingCapacity: true)
        let own = itemQuestions[item]
        for i in own.first..<(own.first + own.count) where fold[i] != f {
            for j in Int(questionOffsets[i])..<Int(questionOffsets[i + 1]) { frequency[questionFeatures[j], default: 0] += 1 }
        }
    }

    /// The inputs of held-out question `q` (fold `f`), and into `scratch.questionScores` its
    /// cosine with every question and into `scratch.itemCosine` each item's best cosine over
    /// the other folds' questions.
    private func heldOutInputs(_ q: Int, fold: [Int], _ f: Int, foldFrequency: [Int], rowOf: [UInt32], embeddingRow: Int?,
                               scratch: inout HeldOutScratch) -> HeldOutInputs {
        var inputs = HeldOutInputs()
        // Only the questions sharing a feature with `q` get a score: reset and scan those
        // alone, so that a held-out question costs its posting lists, not two passes over
        // the base (35 % of a 100,000-question build).
        for i in scratch.touched { scratch.questionScores[i] = 0 }
        scratch.touched.removeAll(keepingCapacity: true)
        for j in Int(questionOffsets[q])..<Int(questionOffsets[q + 1]) {
            let feature = Int(questionFeatures[j])
            // Features the base knows without this fold: frequency left > 0. Without the
            // question's own item too: frequency left after the item's other training questions > 0.
            guard foldFrequency[feature] > 0 else { continue }
            let w = questionWeights[j]
            let elsewhere = foldFrequency[feature] > scratch.itemFrequency[UInt32(feature), default: 0]
            inputs.coverage += w * w
            if elsewhere { inputs.otherCoverage += w * w }
            if rowOf[feature] != LearnedModel.noRow {
                inputs.rows.append(rowOf[feature])
                inputs.values.append(w)
                if elsewhere {
                    inputs.otherRows.append(rowOf[feature])
                    inputs.otherValues.append(w)
                }
            }
            for p in Int(postingOffsets[feature])..<Int(postingOffsets[feature + 1]) {
                let row = Int(postingRows[p])
                // A score still at 0 was not touched yet (or only by zero weights: listing a
                // question twice costs a repeat, never a wrong value).
                if scratch.questionScores[row] == 0 { scratch.touched.append(row) }
                scratch.questionScores[row] += w * postingWeights[p]
            }
        }
        // The embedding is known whatever the fold: the question's own, as at match time.
        appendEmbedding(of: q, embeddingRow: embeddingRow, rows: &inputs.rows, values: &inputs.values)
        appendEmbedding(of: q, embeddingRow: embeddingRow, rows: &inputs.otherRows, values: &inputs.otherValues)
        // Each item's best cosine over its questions outside the fold (0 when none is touched).
        for item in 0..<itemCount { scratch.itemCosine[item] = 0 }
        for i in scratch.touched where fold[i] != f {
            let item = Int(questionItems[i])
            scratch.itemCosine[item] = max(scratch.itemCosine[item], min(1, scratch.questionScores[i]))
        }
        return inputs
    }

    /// The calibration examples of one held-out question of item `label`: its candidates
    /// against the base without its fold, then against the base without its item too.
    private func appendExamples(for label: Int, inputs: HeldOutInputs, trainer: SoftmaxTrainer, scratch: inout HeldOutScratch,
                                to examples: inout [Calibrator.Example]) {
        let base = Calibrator.BaseSize(itemCount: itemCount), smallerBase = Calibrator.BaseSize(itemCount: itemCount - 1)
        trainer.logProbabilities(rows: inputs.rows, values: inputs.values, excluding: nil, into: &scratch.logP)
        var candidates = Set(Self.top(scratch.logP, Self.candidatesByModel))
        candidates.formUnion(Self.top(scratch.itemCosine, Self.candidatesByCosine))
        for item in candidates.sorted() {
            examples.append(.init(signals: .init(logP: scratch.logP[item], base: base, cosine: scratch.itemCosine[item],
                                                 coverage: min(1, inputs.coverage)),
                                  label: item == label))
        }
        // The same question against the base without its item: out of scope by
        // construction, so every candidate is wrong. This is what teaches the
        // calibrator that a confident-looking softmax over the remaining items
        // (large when they are few) is not evidence without a close question.
        guard itemCount > 1, Self.outOfScopeWeight > 0 else { return }
        trainer.logProbabilities(rows: inputs.otherRows, values: inputs.otherValues, excluding: label, into: &scratch.logP)
        scratch.itemCosine[label] = -1
        var others = Set(Self.top(scratch.logP, Self.outOfScopeCandidates))
        others.formUnion(Self.top(scratch.itemCosine, Self.outOfScopeCandidates))
        others.remove(label)
        for item in others.sorted() {
            examples.append(.init(signals: .init(logP: scratch.logP[item], base: smallerBase, cosine: scratch.itemCosine[item],
                                                 coverage: min(1, inputs.otherCoverage)),
                                  label: false, weight: Self.outOfScopeWeight))
        }
    }

    /// Indices of the `k` largest values (ties: lower index).
    static func top(_ values: [Float], _ k: Int) -> [Int] {
        var best = TopK(k: k)
        for (i, v) in values.enumerated() { best.insert(v, row: i) }
        return best.hits.map(\.row)
    }

    /// Writes the previous weights, carried over by feature hash and item id, into zeroed
    /// `weights` and `bias`; new features and items stay at 0.
    func warmWeights(_ warm: WarmStart, hashes: [UInt64], rowOf: [UInt32], embeddingRow: Int?, itemIDs: [String], stride: Int,
                     into weights: UnsafeMutableBufferPointer<Float>, _ bias: UnsafeMutableBufferPointer<Float>) {
        // (column, previous column) of every item the previous model knew.
        let known = itemIDs.indices.compactMap { i in warm.itemIndex[itemIDs[i]].map { (i, $0) } }
        for (i, p) in known { bias[i] = warm.bias[p] }
        for f in 0..<featureCount where rowOf[f] != LearnedModel.noRow {
            guard let old = warm.featureRow(hashes[f]) else { continue }
            let base = Int(rowOf[f]) * stride, oldBase = old * warm.stride
            for (i, p) in known { weights[base + i] = warm.weights[oldBase + p] }
        }
        // Embedding rows carry over dimension by dimension, unscaled back to training units
        // (`learn` only warm-starts a model with embedding rows from one of the same dimension).
        if let first = embeddingRow, let oldFirst = warm.embeddingRow {
            for d in 0..<embeddingDim {
                let base = (first + d) * stride, oldBase = (oldFirst + d) * warm.stride
                for (i, p) in known { weights[base + i] = warm.weights[oldBase + p] / options.embeddingScale }
            }
        }
    }
}
