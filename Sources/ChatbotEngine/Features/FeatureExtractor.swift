import FrenchText

/// Raw term counts of one text, per feature block, before weighting.
struct RawFeatures {
    /// (feature hash, count), sorted by hash, one array per block.
    var blocks: [[(hash: UInt64, count: Int)]] = Array(repeating: [], count: FeatureBlock.allCases.count + 1)

    func block(_ b: FeatureBlock) -> [(hash: UInt64, count: Int)] { blocks[Int(b.rawValue)] }
}

/// Turns a question into sparse features: analysed terms after synonym mapping,
/// optional term bigrams, and character n-grams of the normalised words.
/// Build time and question time share this one code path, so they cannot drift apart.
struct FeatureExtractor: Sendable {
    let analyzer: Analyzer
    let synonyms: SynonymTable
    let options: FeatureOptions

    init(options: FeatureOptions, synonyms: SynonymTable) {
        self.options = options
        self.synonyms = synonyms
        self.analyzer = options.makeAnalyzer()
    }

    /// Terms after stop-word removal and synonym mapping.
    func terms(of tokens: [AnalyzedToken]) -> [String] {
        let raw = options.wordTerms(of: tokens)
        return synonyms.isEmpty ? raw : synonyms.apply(raw)
    }

    /// The terms a question's static embedding is made of: stop words never count (the
    /// prototype's measure: +1.2 points of top-1 with SIF weights), synonyms apply.
    func embeddingTerms(of tokens: [AnalyzedToken]) -> [String] {
        terms(of: tokens.filter { !$0.isStopWord })
    }

    func extract(_ text: String) -> RawFeatures {
        extract(tokens: analyzer.analyze(text))
    }

    func extract(tokens: [AnalyzedToken]) -> RawFeatures {
        var features = RawFeatures()
        let terms = terms(of: tokens)

        var words: [UInt64] = []
        words.reserveCapacity(terms.count)
        for t in terms { words.append(FeatureHash.hash(.word, t.utf8)) }
        features.blocks[Int(FeatureBlock.word.rawValue)] = Self.counted(&words)

        if options.wordBigrams, terms.count > 1 {
            var pairs: [UInt64] = []
            for i in 1..<terms.count {
                var h = FeatureHash.start(.wordBigram)
                for b in terms[i - 1].utf8 { h = FeatureHash.add(h, b) }
                h = FeatureHash.add(h, 0x20)
                for b in terms[i].utf8 { h = FeatureHash.add(h, b) }
                pairs.append(h)
            }
            features.blocks[Int(FeatureBlock.wordBigram.rawValue)] = Self.counted(&pairs)
        }

        if options.charBlockWeight > 0 {
            var grams: [UInt64] = []
            var padded: [UInt8] = []
            for t in tokens where options.charNGramsOfStopWords || !t.isStopWord {
                padded.removeAll(keepingCapacity: true)
                padded.append(0x20)
                padded.append(contentsOf: (options.foldAccents ? t.folded : t.token.text).utf8)
                padded.append(0x20)
                appendCharNGrams(of: padded, to: &grams)
            }
            features.blocks[Int(FeatureBlock.charNGram.rawValue)] = Self.counted(&grams)
        }
        return features
    }

    /// N-grams over Unicode scalars (not bytes), so that a folded word with a rare
    /// non-Latin letter still yields whole characters.
    private func appendCharNGrams(of padded: [UInt8], to grams: inout [UInt64]) {
        // Start offsets of each scalar, plus the end.
        var starts: [Int] = []
        starts.reserveCapacity(padded.count + 1)
        for (i, b) in padded.enumerated() where b & 0xC0 != 0x80 { starts.append(i) }
        starts.append(padded.count)
        let scalarCount = starts.count - 1
        for n in options.charNGramMin...options.charNGramMax where n <= scalarCount {
            for s in 0...(scalarCount - n) {
                var h = FeatureHash.start(.charNGram)
                h = FeatureHash.add(h, UInt8(n))
                for i in starts[s]..<starts[s + n] { h = FeatureHash.add(h, padded[i]) }
                grams.append(h)
            }
        }
    }

    private static func counted(_ hashes: inout [UInt64]) -> [(hash: UInt64, count: Int)] {
        guard !hashes.isEmpty else { return [] }
        hashes.sort()
        var out: [(hash: UInt64, count: Int)] = []
        out.reserveCapacity(hashes.count)
        var current = hashes[0], count = 0
        for h in hashes {
            if h == current { count += 1 } else {
                out.append((current, count))
                current = h
                count = 1
            }
        }
        out.append((current, count))
        return out
    }
}
