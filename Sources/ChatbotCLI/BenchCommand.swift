#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ChatbotEngine
import VectorSearch

/// `chatbot-cli bench …`: in-process micro-benchmarks.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark engine components.",
        subcommands: [VectorsBenchCommand.self]
    )
}

/// `chatbot-cli bench vectors`: top-k search over seeded random unit vectors.
struct VectorsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Time exact top-k vector search on seeded random unit vectors.",
        discussion: """
            Generates --rows random unit vectors of --dim values (uniform in [-1, 1), normalised) \
            and random queries from --seed, stores them as --type, and times --queries searches \
            (batches of --batch queries). Recall@k is measured against the exact float32 \
            single-query scan of the same data.
            """
    )

    @Option(help: "Number of matrix rows (vectors).") var rows: Int
    @Option(help: "Vector dimension.") var dim: Int
    @Option(help: "Storage type: f32, f16 or i8.") var type: String = "f32"
    @Option(help: "Queries per search call (batch size).") var batch: Int = 1
    @Option(help: "Threads per search call.") var threads: Int = 1
    @Option(help: "Results per query.") var k: Int = 10
    @Option(help: "Random seed for matrix and queries.") var seed: UInt64 = 42
    @Option(help: "Timed search calls (default: about 1 s worth, 5...200).") var calls: Int?
    @Flag(help: "Print one JSON object instead of a human-readable line.") var json = false

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be > 0, got \(rows)") }
        guard dim > 0 else { throw ValidationError("--dim must be > 0, got \(dim)") }
        guard ElementType(rawValue: type) != nil else {
            throw ValidationError("--type must be f32, f16 or i8, got '\(type)'")
        }
        guard batch > 0 else { throw ValidationError("--batch must be > 0, got \(batch)") }
        guard threads > 0 else { throw ValidationError("--threads must be > 0, got \(threads)") }
        guard k > 0 else { throw ValidationError("--k must be > 0, got \(k)") }
        if let calls, calls <= 0 { throw ValidationError("--calls must be > 0, got \(calls)") }
        guard rows.multipliedReportingOverflow(by: dim).overflow == false, rows * dim <= 1 << 34 else {
            throw ValidationError("--rows × --dim is too large")
        }
    }

    func run() throws {
        let elementType = ElementType(rawValue: type)!
        var rng = SeededGenerator(seed: seed)
        let t0 = monotonicSeconds()
        let exact = try randomMatrix(rows: rows, dim: dim, rng: &rng)
        let matrix = try exact.converted(to: elementType)
        let buildMs = (monotonicSeconds() - t0) * 1000

        // A pool of distinct queries; call i uses batch i of the pool, cycling.
        let poolBatches = 4
        let pool = (0..<(poolBatches * batch * dim)).map { _ in rng.nextSymmetricFloat() }
        func queries(_ i: Int) -> ArraySlice<Float> {
            let b = i % poolBatches
            return pool[(b * batch * dim)..<((b + 1) * batch * dim)]
        }
        func runCall(_ i: Int) throws -> [[SearchHit]] {
            if batch == 1 { return [try matrix.search(Array(queries(i)), k: k, threads: threads)] }
            return try matrix.search(batch: Array(queries(i)), count: batch, k: k, threads: threads)
        }

        // Warm-up (also sizes the number of timed calls) and recall on every pool batch.
        var found = 0, expected = 0
        var warm = Double.infinity
        for b in 0..<poolBatches {
            let s = monotonicSeconds()
            let got = try runCall(b)
            warm = min(warm, monotonicSeconds() - s)
            for (j, hits) in got.enumerated() {
                let q = Array(queries(b)[(b * batch * dim + j * dim)..<(b * batch * dim + (j + 1) * dim)])
                let reference = Set(try exact.search(q, k: k, threads: 1).map(\.row))
                found += hits.filter { reference.contains($0.row) }.count
                expected += reference.count
            }
        }
        let callCount = calls ?? max(5, min(200, Int(1.0 / max(warm, 1e-6))))
        var times: [Double] = []
        for i in 0..<callCount {
            let s = monotonicSeconds()
            _ = try runCall(i)
            times.append(monotonicSeconds() - s)
        }
        times.sort()
        let median = times[times.count / 2]
        let perQueryUs = median / Double(batch) * 1e6
        let gbPerS = Double(matrix.scannedByteCount) / median / 1e9
        let gflop = 2.0 * Double(rows) * Double(dim) * Double(batch) / median / 1e9
        let recall = expected == 0 ? 1.0 : Double(found) / Double(expected)

        if json {
            func n(_ x: Double) -> JSONValue { .number((x * 1000).rounded() / 1000) }
            print(JSONValue.object([
                ("rows", .int(rows)), ("dim", .int(dim)), ("type", .string("\(type)")), ("batch", .int(batch)),
                ("threads", .int(threads)), ("k", .int(k)), ("seed", .number(Double(seed))), ("calls", .int(callCount)),
                ("per_query_us", n(perQueryUs)), ("call_us_min", n(times[0] * 1e6)), ("call_us_median", n(median * 1e6)),
                ("gb_per_s", n(gbPerS)), ("gflop_per_s", n(gflop)), ("recall_at_k", n(recall)),
                ("matrix_bytes", .int(matrix.byteCount)), ("scanned_bytes", .int(matrix.scannedByteCount)),
                ("build_ms", n(buildMs)),
            ]).serialized())
        } else {
            print("\(rows)×\(dim) \(type) batch \(batch) threads \(threads) k \(k): \(fmt(perQueryUs)) µs/query, "
                + "\(fmt(gbPerS)) GB/s, \(fmt(gflop)) GFLOP/s, recall@\(k) \(fmt(recall)) (\(callCount) calls)")
        }
    }
}

/// A float32 matrix of `rows` random unit vectors, generated straight into its buffer.
private func randomMatrix(rows: Int, dim: Int, rng: inout SeededGenerator) throws -> VectorMatrix {
    let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: rows * dim)
    defer { values.deallocate() }
    for i in values.indices { values[i] = rng.nextSymmetricFloat() }
    return try VectorMatrix(rows: rows, dim: dim, values: UnsafeBufferPointer(values))
}

extension SeededGenerator {
    /// Uniform in [-1, 1) with 24 random bits.
    mutating func nextSymmetricFloat() -> Float {
        Float(Int32(truncatingIfNeeded: next() >> 40) - (1 << 23)) * (1.0 / Float(1 << 23))
    }
}

private func monotonicSeconds() -> Double { Double(monotonicNanoseconds()) * 1e-9 }

private func fmt(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    let r = (x * 1000).rounded() / 1000
    return String(r)
}
