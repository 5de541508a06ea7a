import Benchmark
import Foundation
import FrenchText

/// The generated question corpus (scripts/generate_text_corpus.py), read relative to the
/// Benchmarks package directory, where `swift package benchmark` runs; falls back to this
/// file's location when started from elsewhere.
private func loadCorpusLines() -> [String] {
    let relative = "corpus/french-questions.txt"
    let besideSource = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
    for path in [relative, besideSource] {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return text.split(separator: "\n").map(String.init)
        }
    }
    fatalError("analyser benchmark: cannot read \(relative) (run from the Benchmarks directory)")
}

/// Corpus lines totalling exactly 1,000,000 UTF-8 bytes (newlines not counted; the last
/// line is cut at a character boundary), so one iteration per second is 1 MB/s.
private func oneMegabyte(of lines: [String]) -> [String] {
    var out: [String] = [], total = 0
    for line in lines {
        let left = 1_000_000 - total
        if line.utf8.count <= left {
            out.append(line)
            total += line.utf8.count
        } else {
            var cut = ""
            for ch in line where cut.utf8.count + ch.utf8.count <= left { cut.append(ch) }
            // Pad with spaces if the cut fell inside a multi-byte character.
            cut += String(repeating: " ", count: left - cut.utf8.count)
            out.append(cut)
            total += cut.utf8.count
        }
        if total == 1_000_000 { return out }
    }
    fatalError("analyser benchmark: corpus smaller than 1 MB")
}

/// Cycles through the corpus across iterations so each measured iteration sees new lines.
private final class LineCycle: @unchecked Sendable {
    let lines: [String]
    var next = 0
    init(_ lines: [String]) { self.lines = lines }
}

/// - "analyser MB/s": one iteration analyses 1,000,000 bytes of questions, line by line,
///   so the throughput column (# per second) reads directly as MB/s.
/// - "analyser questions/s": one scaled iteration analyses one question (the query-time cost).
func registerAnalyzerBenchmarks() {
    let lines = loadCorpusLines()
    let megabyte = oneMegabyte(of: lines)
    let analyzer = Analyzer()
    Benchmark(
        "analyser MB/s",
        configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
                             scalingFactor: .one, maxDuration: .seconds(5))
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            for line in megabyte { blackHole(analyzer.analyze(line)) }
        }
    }

    let cycle = LineCycle(lines)
    Benchmark(
        "analyser questions/s",
        configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal],
                             scalingFactor: .kilo, maxDuration: .seconds(3))
    ) { benchmark in
        let lines = cycle.lines
        var k = cycle.next
        for _ in benchmark.scaledIterations {
            blackHole(analyzer.analyze(lines[k]))
            k += 1
            if k == lines.count { k = 0 }
        }
        cycle.next = k
    }
}
