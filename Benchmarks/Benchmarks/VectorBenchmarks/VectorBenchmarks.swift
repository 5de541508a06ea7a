import Benchmark
import VectorSearch

/// Seeded uniform values in [-1, 1) (SplitMix64), so every run scans the same matrix.
private func randomValues(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(Int32(truncatingIfNeeded: z >> 40) - (1 << 23)) / Float(1 << 23)
    }
}

private func matrix(rows: Int, dim: Int, type: ElementType) -> VectorMatrix {
    try! VectorMatrix(rows: rows, dim: dim, values: randomValues(rows * dim, seed: 1), type: type)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2))

    // Single-query scans: L2-resident, L3-resident and DRAM-resident matrices, per type.
    for (rows, dim) in [(1_000, 384), (10_000, 384), (100_000, 384)] {
        for type in ElementType.allCases {
            Benchmark("search \(type.rawValue) \(rows)x\(dim) k10") { benchmark, m in
                let q = randomValues(dim, seed: 2)
                for _ in benchmark.scaledIterations { blackHole(try m.search(q, k: 10, threads: 1)) }
            } setup: {
                matrix(rows: rows, dim: dim, type: type)
            }
        }
    }

    // Batch of 64 queries through the register-blocked kernel (one pass per batch).
    for (rows, dim) in [(10_000, 384), (100_000, 384)] {
        Benchmark("batch64 f32 \(rows)x\(dim) k10") { benchmark, m in
            let q = randomValues(64 * dim, seed: 3)
            for _ in benchmark.scaledIterations { blackHole(try m.search(batch: q, count: 64, k: 10, threads: 1)) }
        } setup: {
            matrix(rows: rows, dim: dim, type: .float32)
        }
    }

    // Thread split overhead and gain on a matrix above the 32 MB automatic threshold.
    for threads in [1, 2] {
        Benchmark("search f32 100000x384 k10 threads\(threads)") { benchmark, m in
            let q = randomValues(384, seed: 4)
            for _ in benchmark.scaledIterations { blackHole(try m.search(q, k: 10, threads: threads)) }
        } setup: {
            matrix(rows: 100_000, dim: 384, type: .float32)
        }
    }

    Benchmark("build f32 10000x384 (normalise + copy)") { benchmark in
        let values = randomValues(10_000 * 384, seed: 5)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try VectorMatrix(rows: 10_000, dim: 384, values: values)) }
    }
}
