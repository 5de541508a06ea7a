import Benchmark
import ChatbotEngine

let benchmarks: @Sendable () -> Void = {
    Benchmark("Vector placeholder") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(EngineVersion.string) }
    }
}
