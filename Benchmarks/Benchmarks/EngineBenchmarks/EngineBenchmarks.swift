import Benchmark
import ChatbotEngine
import ChatbotEvaluation
import Glibc
import NPYFiles
import VectorSearch

/// Engine benchmarks on the MASSIVE fr-FR split (10,348 knowledge-base questions).
/// Data: $CHATBOT_BENCH_DATA (a folder with kb.tsv and dev.tsv), by default
/// ../../shared/data/massive-fr relative to the Benchmarks package. With $CHATBOT_BENCH_VECTORS,
/// a folder with kb.npy and dev.npy (`Benchmarks/embed_massive.py`), the learned model with
/// embeddings among its inputs is benchmarked too.
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
    try? engine.save(to: indexPath)

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

    guard let vectorDirectory = getenv("CHATBOT_BENCH_VECTORS").map({ String(cString: $0) }) else {
        print("EngineBenchmarks: set CHATBOT_BENCH_VECTORS to a folder with kb.npy and dev.npy for the embedding benchmarks")
        return openBenchmark(indexPath)
    }
    var embedded = kb
    var embeddingLearning = LearningOptions()
    embeddingLearning.embeddingScale = LearningOptions.recommendedEmbeddingScale
    guard let kbRows = try? NPYArray(contentsOfFile: "\(vectorDirectory)/kb.npy"),
          let devRows = try? NPYArray(contentsOfFile: "\(vectorDirectory)/dev.npy"), devRows.rows == questions.count,
          (try? embedded.attachVectors(rows(kbRows), sourceName: "kb.npy")) != nil,
          let embeddingEngine = try? Engine.build(embedded, learning: embeddingLearning)
    else {
        print("EngineBenchmarks: cannot use \(vectorDirectory)/kb.npy and dev.npy")
        return openBenchmark(indexPath)
    }
    let queryVectors = rows(devRows)

    Benchmark("match with query vector, model over TF-IDF + 384-d embedding, top-5",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one)) { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            let k = i % questions.count
            blackHole(try embeddingEngine.match(questions[k], options: MatchOptions(queryVector: queryVectors[k])))
            i += 1
        }
    }

    Benchmark("build index, model over TF-IDF + 384-d embedding (10,348 questions)",
              configuration: .init(metrics: [.wallClock], maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine.build(embedded, learning: embeddingLearning))
        }
    }

    var editedEmbedded = embedded
    editedEmbedded.items[0].questions.append("programme un réveil pour demain six heures trente")
    editedEmbedded.items[0].questionVectors.append(queryVectors[0])
    Benchmark("update with embeddings: one question added, warm start (10,348 questions)",
              configuration: .init(metrics: [.wallClock], maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine.build(editedEmbedded, learning: embeddingLearning, warmStart: embeddingEngine))
        }
    }
    openBenchmark(indexPath)
}

func rows(_ array: NPYArray) -> [[Float]] {
    (0..<array.rows).map { r in Array(array.values[(r * array.dim)..<((r + 1) * array.dim)]) }
}

func openBenchmark(_ indexPath: String) {
    Benchmark("open index file (10,348 questions)",
              configuration: .init(metrics: [.wallClock], maxIterations: 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Engine(contentsOf: indexPath))
        }
    }
}
