import Benchmark
import ChatbotEngine

let benchmarks: @Sendable () -> Void = {
    Benchmark("Engine placeholder") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(EngineVersion.string) }
    }
}
