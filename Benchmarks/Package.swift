// swift-tools-version:6.1
// In-process benchmarks (ordo-one/benchmark). A separate package so that the library's
// own build and tests do not compile the benchmark harness.
// Run: cd Benchmarks && CHATBOT_CPU_FLAGS=1 swift package --allow-writing-to-package-directory benchmark
// (CHATBOT_CPU_FLAGS=1: the library compiled as the Makefile compiles it; see README, "Portability").
import PackageDescription

let benchmarkDeps: [Target.Dependency] = [
    .product(name: "Benchmark", package: "benchmark"),
    .product(name: "ChatbotEngine", package: "libchatbot"),
    .product(name: "ChatbotToolkit", package: "libchatbot"),
]
let plugins: [Target.PluginUsage] = [.plugin(name: "BenchmarkPlugin", package: "benchmark")]

let package = Package(
    name: "libchatbot-benchmarks",
    dependencies: [
        .package(name: "libchatbot", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(name: "TextBenchmarks", dependencies: benchmarkDeps,
                          path: "Benchmarks/TextBenchmarks", plugins: plugins),
        .executableTarget(name: "VectorBenchmarks", dependencies: benchmarkDeps,
                          path: "Benchmarks/VectorBenchmarks", plugins: plugins),
        .executableTarget(name: "EngineBenchmarks", dependencies: benchmarkDeps,
                          path: "Benchmarks/EngineBenchmarks", plugins: plugins),
        .executableTarget(name: "SourceBenchmarks", dependencies: benchmarkDeps,
                          path: "Benchmarks/SourceBenchmarks", plugins: plugins),
    ]
)
