import Benchmark
import ChatbotEngine

/// Every text benchmark registers itself from here (one `register…` function per file).
let benchmarks: @Sendable () -> Void = {
    registerStemmerBenchmarks()
    registerAnalyzerBenchmarks()
}
