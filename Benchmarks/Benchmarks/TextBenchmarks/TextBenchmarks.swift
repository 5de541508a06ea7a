import Benchmark
import ChatbotEngine

let benchmarks: @Sendable () -> Void = {
    registerAnalyzerBenchmarks()
}
