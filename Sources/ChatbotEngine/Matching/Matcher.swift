#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import FrenchText
import VectorSearch

/// Scores a question against the stored questions and picks the best items.
///
/// Without a learned model, the question's sparse unit vector is multiplied into the
/// inverted index (one pass over the postings of its known features), which yields the
/// cosine with every stored question; each item keeps its best question.
///
/// With a learned model (the default), the items are scored by the model first, and the
/// nearest-question cosine is computed only for the items that can still rank
/// (`topItemsLearned`): the cost grows with the number of items and the candidates'
/// questions, not with the size of the whole base.
struct Matcher: Sendable {
    let image: IndexImage
    let extractor: FeatureExtractor
    let unseenIDF: Float

    init(image: IndexImage, extractor: FeatureExtractor) {
        self.image = image
        self.extractor = extractor
        unseenIDF = Weighting.idf(documentFrequency: 0, documentCount: image.questionCount)
    }

    /// The best `count` eligible items for `question`, best first, scored by the learned
    /// model when the index has one and by cosine otherwise. Throws on a query vector the
    /// index cannot use (or lacks, when its model needs one).
    func rank(_ question: String, options: MatchOptions, embeddingWeight: Float, count: Int) throws(ChatbotError) -> [Match] {
        let tokens = extractor.analyzer.analyze(question)
        let vector = vector(extractor.extract(tokens: tokens))
        let unitQuery = try queryEmbedding(tokens: tokens, given: options.queryVector)
        // A model with embedding rows takes the embedding as an input; its calibrator was
        // fitted on the lexical cosine, so the cosine stays lexical (mixing it would make
        // confidences overconfident: answered precision 0.935 instead of 0.953 on MASSIVE).
        // Otherwise the embedding, the host's or the word vectors', enters the cosine of
        // every question (one dense pass), and every item's cosine is then at hand.
        var mixed: [Float]? = nil
        if let unit = unitQuery, image.model?.embeddingRow == nil {
            var scores = lexicalScores(vector)
            mixEmbeddings(&scores, query: unit, weight: embeddingWeight)
            mixed = scores
        }
        let today = options.today?.daysSince1970 ?? currentDaySince1970(), category = options.category
        // A non-escaping closure literal: no heap context per question.
        let top = if let model = image.model {
            topItemsLearned(vector: vector, query: unitQuery,
                            questionScores: mixed ?? (walkIsCheaper(vector, candidates: count) ? lexicalScores(vector) : nil),
                            model: model, k: count,
                            eligible: { isEligible($0, today: today, category: category) })
        } else {
            topItems(mixed ?? lexicalScores(vector), k: count, eligible: { isEligible($0, today: today, category: category) })
        }
        return top.map { t in
            Match(itemIndex: t.item, id: image.itemID(t.item), score: min(1, t.score), question: image.questionText(t.question),
                  questionIndex: t.question, answer: image.itemAnswer(t.item), category: image.itemCategory(t.item))
        }
    }

    /// The question's unit embedding: from the index's word vectors, or the host's vector;
    /// nil when there is none.
    func queryEmbedding(tokens: [AnalyzedToken], given query: [Float]?) throws(ChatbotError) -> [Float]? {
        if let wordVectors = image.wordVectors {
            guard query == nil else {
                throw .invalidArgument("this index embeds questions itself with its word vectors: do not pass a query vector")
            }
            // A question none of whose words has a vector has no embedding: the model's
            // embedding rows then add nothing, as for such questions at build time.
            return wordVectors.embed(terms: extractor.embeddingTerms(of: tokens))
        }
        if let query {
            guard image.embeddingDim > 0 else {
                throw .invalidArgument("this index has no question embeddings; build it with vectors to use a query vector")
            }
            guard query.count == image.embeddingDim else {
                throw .invalidArgument("query vector has dimension \(query.count), the index's embeddings have \(image.embeddingDim)")
            }
            return try unitVector(query, subject: "query vector")
        }
        // A model trained with embeddings among its inputs leans on them: asked without a
        // vector it loses 18 points of top-1 on MASSIVE (0.688 vs 0.870) with no visible sign.
        // Refusing makes the mismatch visible at the first question instead.
        if image.model?.embeddingRow != nil {
            throw .invalidArgument("this index's learned model takes question embeddings as input: pass the question's vector (query vector), or rebuild the index with embedding scale 0")
        }
        return nil
    }

    /// Which items may be proposed: not hidden, not expired on `today`, in `category` if given.
    func isEligible(_ item: Int, today: Int, category: String?) -> Bool {
        let r = image.items[item]
        if r.flags & ItemRecord.hiddenFlag != 0 { return false }
        if Int(r.expiryDay) < today { return false }
        if let category, image.itemCategory(item) != category { return false }
        return true
    }

    func vector(_ raw: RawFeatures) -> SparseVector {
        Weighting.vector(raw, options: extractor.options, unseenIDF: unseenIDF) { h in
            image.featureID(h).map { ($0, image.idf[Int($0)]) }
        }
    }

    /// Whether one walk over the question's whole posting lists costs less than finding the
    /// candidate items' runs in them (for about `candidates + 4` candidates): on a base whose
    /// lists are short, it does. Both give the same cosines to the bit; this only picks the
    /// cheaper, from the lists' lengths. Finding a run costs one step with a skip table (two
    /// loads from one place), and a binary search otherwise: one step per cache line it
    /// jumps to, log2(length) less the last four halvings, which stay inside one 64-byte line.
    func walkIsCheaper(_ v: SparseVector, candidates: Int) -> Bool {
        let offsets = image.postingOffsets
        var walk = image.questionCount, search = 0
        for f in v.ids {
            let length = Int(offsets[Int(f) + 1] &- offsets[Int(f)])
            walk += length
            search += image.postingSkipTable(Int(f)) != nil ? 1 : max(1, Int.bitWidth - length.leadingZeroBitCount - 4)
        }
        return walk <= Self.walkPerSearchStep * (candidates + 4) * search
    }

    /// How many walked postings cost as much as one step of finding a run, in time: a step
    /// jumps to an unpredictable place (a cache miss, a mispredicted branch) where a walk
    /// streams. Callgrind, which counts instructions, would say 2; wall clocks on the scaling
    /// benchmark's bases say more. With 24, bases of 1,000 questions walk every question, and
    /// 10,000- and 100,000-question bases with skip tables prune nearly all (see the README's
    /// "Scaling with the base's size" for the latencies).
    static let walkPerSearchStep = 24

    /// Cosine of `v` with every stored question.
    func lexicalScores(_ v: SparseVector) -> [Float] {
        var scores = [Float](repeating: 0, count: image.questionCount)
        scores.withUnsafeMutableBufferPointer { s in
            let offsets = image.postingOffsets, rows = image.postingRows, weights = image.postingWeights
            for (k, f) in v.ids.enumerated() {
                let q = v.weights[k]
                let start = Int(offsets[Int(f)]), end = Int(offsets[Int(f) + 1])
                var j = start
                while j < end {
                    s[Int(rows[j])] += q * weights[j]
                    j += 1
                }
            }
        }
        return scores
    }

    /// Mixes in the embedding cosine for questions that have a stored vector. The cosines
    /// come from one SIMD pass over the stored unit rows (`VectorSearch.innerProducts`).
    func mixEmbeddings(_ scores: inout [Float], query: [Float], weight: Float) {
        let n = image.questionCount, dim = image.embeddingDim
        guard n > 0, dim > 0, let matrix = image.embeddings.baseAddress else { return }
        var cosines = [Float](repeating: 0, count: n)
        query.withUnsafeBufferPointer { q in
            cosines.withUnsafeMutableBufferPointer { out in
                innerProducts(query: q.baseAddress!, rows: matrix, rowCount: n, dim: dim, into: out.baseAddress!)
            }
        }
        let mask = image.embeddingMask
        for q in 0..<n where mask[q] != 0 {
            scores[q] = (1 - weight) * scores[q] + weight * max(0, cosines[q])
        }
    }

    /// The best `k` eligible items: (item, score, best question), best first;
    /// ties go to the earlier item so that results are deterministic.
    func topItems(_ scores: [Float], k: Int, eligible: (Int) -> Bool) -> [(item: Int, score: Float, question: Int)] {
        // Ranked by best question: an item's questions are contiguous and in item order, so
        // TopK's tie rule (lower row first) is "earlier item first".
        var top = TopK(k: k)
        for item in 0..<image.itemCount {
            let r = image.items[item]
            var best: Float = -1, bestQ = -1
            for q in Int(r.firstQuestion)..<Int(r.firstQuestion + r.questionCount) where scores[q] > best {
                best = scores[q]
                bestQ = q
            }
            if best <= 0 || (top.full && best <= top.threshold) { continue }
            guard eligible(item) else { continue }
            top.insert(best, row: bestQ)
        }
        return top.hits.map { (Int(image.questionItems[$0.row]), $0.score, $0.row) }
    }

    /// The best `k` eligible items by the learned model and calibrator: (item, confidence,
    /// best question), best first, ties to the earlier item. Every item is scored by the
    /// calibrator's linear score over its learned log-probability and its nearest-question
    /// cosine; the confidence is its logistic. A question with no feature the base knows has
    /// no candidate at all. `query`, the unit query embedding, is a model input when the
    /// model has embedding rows (`Engine.match` refuses a question without it on such a model).
    ///
    /// The cosine is computed only where it can matter. The calibrator's coefficients are
    /// ≥ 0, so an item's score with cosine 1 bounds its score from above, and that bound
    /// grows with the item's logit. The k items with the best logits get their exact cosine
    /// first; the k-th best exact score among them is a floor that the final k-th score
    /// cannot fall below, and only the items whose bound reaches that floor get theirs. The
    /// result is the full scan's, bit for bit: each cosine adds the same products in the same
    /// order, and `TopK` orders ties by row whatever the order of insertion. `questionScores`, when given, holds every
    /// question's cosine already (embeddings mixed in), and is read instead. `pruning:
    /// false` computes every eligible item's cosine (the tests' reference).
    func topItemsLearned(vector v: SparseVector, query: [Float]?, questionScores: [Float]?, model: IndexImage.ModelView,
                         k: Int, pruning: Bool = true, eligible: (Int) -> Bool) -> [(item: Int, score: Float, question: Int)] {
        // Without a known feature or an embedding there is no evidence at all; with an
        // embedding alone (word vectors: a question in words the base never used) the
        // model's embedding rows, or the embedding cosine mixed into the scores, still rank.
        guard !v.ids.isEmpty || query != nil, k > 0 else { return [] }
        let n = image.itemCount, stride = model.stride
        var coverage: Float = 0
        var rows: [UInt32] = [], values: [Float] = []
        rows.reserveCapacity(v.ids.count)
        values.reserveCapacity(v.ids.count)
        for (j, f) in v.ids.enumerated() {
            let w = v.weights[j]
            coverage += w * w
            let r = model.rowOf[Int(f)]
            if r != LearnedModel.noRow {
                rows.append(r)
                values.append(w)
            }
        }
        coverage = min(1, coverage)
        var logits = [Float](repeating: 0, count: stride)
        let norm: Float = logits.withUnsafeMutableBufferPointer { z in
            rows.withUnsafeBufferPointer { rp in
                values.withUnsafeBufferPointer { vp in
                    ItemScoring.logits(rows: rp, values: vp, matrix: model.weights.baseAddress!, bias: model.bias.baseAddress!,
                                       stride: stride, into: z.baseAddress!)
                }
            }
            // The embedding block is contiguous: its rows are added straight from the query.
            if let first = model.embeddingRow, let query {
                let block = model.weights.baseAddress! + first * stride
                for (d, x) in query.enumerated() {
                    ItemScoring.axpy(x, UnsafeRawPointer(block + d * stride), UnsafeMutableRawPointer(z.baseAddress!), count: stride)
                }
            }
            return ItemScoring.logSumExp(z.baseAddress!, count: n)
        }
        let calibrator = model.calibrator
        let base = Calibrator.BaseSize(itemCount: n)
        @inline(__always) func score(_ item: Int, cosine: Float) -> Float {
            calibrator.score(.init(logP: logits[item] - norm, base: base, cosine: min(1, cosine), coverage: coverage))
        }
        /// Scores `items` exactly (with their nearest question) into `top`: one at a time
        /// from `questionScores` when given, else in one batch over the posting lists.
        func scoreExactly(_ items: [Int], into top: inout TopK) {
            if let questionScores {
                for item in items {
                    let e = nearestQuestion(item, in: questionScores)
                    top.insert(score(item, cosine: e.cosine), row: e.question)
                }
            } else {
                let nearest = nearestQuestions(items, vector: v)
                for i in items.indices { top.insert(score(items[i], cosine: nearest[i].cosine), row: nearest[i].question) }
            }
        }
        // An item's bound grows with its logit (the calibrator's coefficients are ≥ 0),
        // so the logits rank the bounds without computing them.
        // 1. The k eligible items with the best logits, exactly: a floor for the k-th score.
        var seeds = TopK(k: k)
        // Items already scored exactly, or seen to be ineligible: step 2 skips both.
        var settled = [Bool](repeating: false, count: n)
        var lowest = Float.infinity, highest = -Float.infinity
        for item in 0..<n where pruning {
            let l = logits[item]
            lowest = min(lowest, l)
            highest = max(highest, l)
            if seeds.full && !(l > seeds.threshold) { continue }
            guard eligible(item) else { settled[item] = true; continue }
            seeds.insert(l, row: item)
        }
        var top = TopK(k: k)  // by best question, as in `topItems`
        let seedItems = seeds.hits.map(\.row)
        scoreExactly(seedItems, into: &top)
        for item in seedItems { settled[item] = true }
        // 2. Every other eligible item whose bound reaches the floor (all of them when
        // fewer than k items are eligible: the floor is then -infinity). Below `cutoff`,
        // found by bisection on the bound, no logit's bound reaches it.
        let floor = top.threshold
        // No cosine exceeds the norm of the query's known part (Cauchy–Schwarz, stored
        // vectors being unit): sqrt(coverage), with a margin for rounding.
        let cosineBound = min(1, coverage.squareRoot() * (1 + 1e-4) + 1e-6)
        var cutoff = -Float.infinity
        if pruning && floor > -.infinity && lowest < highest {
            func bound(_ logit: Float) -> Float {
                calibrator.score(.init(logP: logit - norm, base: base, cosine: cosineBound, coverage: coverage))
            }
            var lo = lowest, hi = highest
            if !(bound(lo) >= floor) {
                // Invariant: bound(lo) < floor <= bound(hi).
                for _ in 0..<32 {
                    let mid = lo + (hi - lo) / 2
                    if mid <= lo || mid >= hi { break }
                    if bound(mid) >= floor { hi = mid } else { lo = mid }
                }
                // A margin far above expf's last-bit rounding, which the monotonicity
                // argument must not depend on.
                cutoff = lo - 1e-3 * max(1, abs(lo))
            }
        }
        // The floor is fixed once the seeds are scored, so the rest are found first and
        // scored in one batch (one pass over the query's lists for all of them).
        var rest: [Int] = []
        for item in 0..<n where !settled[item] && logits[item] > cutoff {
            if pruning && !(score(item, cosine: cosineBound) >= floor) { continue }
            guard eligible(item) else { continue }
            rest.append(item)
        }
        scoreExactly(rest, into: &top)
        return top.hits.map { (Int(image.questionItems[$0.row]), Calibrator.confidence($0.score), $0.row) }
    }

    /// The item's nearest question among `scores` (one cosine per question): its cosine
    /// (0 when no question shares a feature) and index (the first question then).
    @inline(__always)
    func nearestQuestion(_ item: Int, in scores: [Float]) -> (cosine: Float, question: Int) {
        nearestQuestion(item) { scores[$0] }
    }

    /// The item's question with the highest `cosine(question)`: its cosine (0 when none is
    /// positive) and index (the first question then).
    @inline(__always)
    func nearestQuestion(_ item: Int, cosine: (Int) -> Float) -> (cosine: Float, question: Int) {
        let r = image.items[item]
        var best: Float = 0, bestQ = Int(r.firstQuestion)
        for q in Int(r.firstQuestion)..<Int(r.firstQuestion + r.questionCount) where cosine(q) > best {
            best = cosine(q)
            bestQ = q
        }
        return (best, bestQ)
    }

    /// The nearest question to `v` of each of `items` (distinct): its cosine (0 when no
    /// question shares a feature) and index (the item's first question then), in order.
    ///
    /// Only the items' runs of the query's posting lists are read. A list with a skip table
    /// (`PostingSkips`) gives each run in two loads; a shorter one, or any list of a file
    /// without tables, by binary search. Lists are taken in the query's order, as
    /// `lexicalScores` takes them, so every cosine adds the same products in the same order
    /// and is the same to the bit; all items are done list by list, so that each list is
    /// read once, front to back.
    func nearestQuestions(_ items: [Int], vector v: SparseVector) -> [(cosine: Float, question: Int)] {
        guard !items.isEmpty else { return [] }
        // Item i's scores are scratch[slot[i] + question - its first question].
        var slot = [Int](repeating: 0, count: items.count), total = 0
        for (i, item) in items.enumerated() {
            let r = image.items[item]
            slot[i] = total &- Int(r.firstQuestion)
            total += Int(r.questionCount)
        }
        var scratch = [Float](repeating: 0, count: total)
        let offsets = image.postingOffsets.baseAddress!, rows = image.postingRows.baseAddress!
        let weights = image.postingWeights.baseAddress!
        let records = image.items.baseAddress!
        scratch.withUnsafeMutableBufferPointer { scratch in
            let out = scratch.baseAddress!
            for k in 0..<v.ids.count {
                let f = Int(v.ids[k]), q = v.weights[k]
                let listStart = Int(offsets[f]), listEnd = Int(offsets[f &+ 1])
                let table = image.postingSkipTable(f)
                for i in 0..<items.count {
                    let item = items[i], at = slot[i]
                    if let table {
                        // Wrapping arithmetic: the verified table keeps every index inside
                        // the list, and overflow checks doubled the cost.
                        var j = listStart &+ Int(table[item])
                        let e = listStart &+ Int(table[item &+ 1])
                        while j &+ 8 <= e {
                            out[at &+ Int(rows[j])] += q * weights[j]
                            out[at &+ Int(rows[j &+ 1])] += q * weights[j &+ 1]
                            out[at &+ Int(rows[j &+ 2])] += q * weights[j &+ 2]
                            out[at &+ Int(rows[j &+ 3])] += q * weights[j &+ 3]
                            out[at &+ Int(rows[j &+ 4])] += q * weights[j &+ 4]
                            out[at &+ Int(rows[j &+ 5])] += q * weights[j &+ 5]
                            out[at &+ Int(rows[j &+ 6])] += q * weights[j &+ 6]
                            out[at &+ Int(rows[j &+ 7])] += q * weights[j &+ 7]
                            j &+= 8
                        }
                        while j < e {
                            out[at &+ Int(rows[j])] += q * weights[j]
                            j &+= 1
                        }
                        continue
                    }
                    let first = records[item].firstQuestion, end = first &+ records[item].questionCount
                    // Lower bound of `first` in the list.
                    var base = listStart, length = listEnd &- listStart
                    while length > 1 {
                        let half = length &>> 1
                        if rows[base &+ half &- 1] < first { base &+= half }
                        length &-= half
                    }
                    var j = length == 1 && rows[base] < first ? base &+ 1 : base
                    while j < listEnd {
                        let row = rows[j]
                        if row >= end { break }
                        out[at &+ Int(row)] += q * weights[j]
                        j &+= 1
                    }
                }
            }
        }
        return scratch.withUnsafeBufferPointer { scratch in
            items.indices.map { i in nearestQuestion(items[i]) { scratch[slot[i] &+ $0] } }
        }
    }
}
