import Benchmark
import Foundation
import FrenchText

/// The words of the stemmer fixture (first column), read relative to the Benchmarks
/// package directory, where `swift package benchmark` runs; falls back to this file's
/// location when started from elsewhere.
private func loadFixtureWords() -> [String] {
    let relative = "../Tests/FrenchTextTests/Fixtures/french-stems.tsv"
    let besideSource = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
    for path in [relative, besideSource] {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return text.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        }
    }
    fatalError("stemmer benchmark: cannot read \(relative) (run from the Benchmarks directory)")
}

/// Walks the word list round-robin across benchmark iterations, so that every measured
/// iteration stems a different slice of the vocabulary.
private final class WordCycle: @unchecked Sendable {
    let words: [String]
    var next = 0
    init(_ words: [String]) { self.words = words }
}

/// "stemmer words/s": one scaled iteration = one word; throughput is in words per second.
func registerStemmerBenchmarks() {
    let cycle = WordCycle(loadFixtureWords())
    let stemmer = FrenchStemmer()
    Benchmark(
        "stemmer words/s",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal],
            scalingFactor: .kilo,
            maxDuration: .seconds(3)
        )
    ) { benchmark in
        let words = cycle.words
        var k = cycle.next
        for _ in benchmark.scaledIterations {
            blackHole(stemmer.stem(words[k]))
            k += 1
            if k == words.count { k = 0 }
        }
        cycle.next = k
    }
}
