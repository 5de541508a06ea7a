import Benchmark
import ChatbotEngine
import Glibc

/// Engine benchmarks on the MASSIVE fr-FR split (10,348 knowledge-base questions).
/// Data: $CHATBOT_BENCH_DATA (a folder with kb.tsv and dev.tsv), by default
/// ../../shared/data/massive-fr relative to the Benchmarks package.
let dataDirectory = getenv("CHATBOT_BENCH_DATA").map { String(cString: $0) } ?? "../../shared/data/massive-fr"

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5))

    guard let kb = try? KnowledgeBaseLoader.load(path: "\(dataDirectory)/kb.tsv"),
          let dev = try? LabelledSet.load(path: "\(dataDirectory)/dev.tsv"),
          let engine = try? Engine.build(kb)
    else {
        print("EngineBenchmarks: cannot read \(dataDirectory)/kb.tsv and dev.tsv; set CHATBOT_BENCH_DATA")
        return
    }
    let questions = dev.examples.map(\.question)
    let indexPath = "/tmp/chatbot-bench-\(getpid()).cbindex"
    try? writeFileAtomically(indexPath, bytes: engine.indexBytes)

    // The hot path: question string → decision with the top 5 items.
    Benchmark("match: question → decision, top-5 (10,348 questions)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one)) { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            blackHole(try engine.match(questions[i % questions.count]))
            i += 1
        }
    }

    Benchmark("build index from kb.tsv (10,348 questions)",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine.build(kb))
        }
    }

    // Issue 6 budget: one question added to one item, rebuilt from the previous index.
    var edited = kb
    edited.items[0].questions.append("programme un réveil pour demain six heures trente")
    Benchmark("update: one question added, warm start (10,348 questions)",
              configuration: .init(metrics: [.wallClock], maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine.build(edited, warmStart: engine))
        }
    }

    var cosineOnly = LearningOptions()
    cosineOnly.enabled = false
    Benchmark("build index without learned model (10,348 questions)",
              configuration: .init(metrics: [.wallClock], maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine.build(kb, learning: cosineOnly))
        }
    }

    Benchmark("open index file (10,348 questions)",
              configuration: .init(metrics: [.wallClock], maxIterations: 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine(contentsOf: indexPath))
        }
    }
}
