// Shared by the index fuzz targets (see docs/fuzzing.md).
import ChatbotEngine

/// Opens `bytes` as an index; when it opens, uses it as a host would: every item through
/// the accessors (bounded), a few questions matched, with and without a category.
/// The index validation promises that a file which opens cannot make the matcher read out
/// of bounds, so everything after a successful open is fuzzed too.
public func exerciseIndex(_ bytes: [UInt8]) {
    guard let engine = try? Engine(indexBytes: bytes) else { return }
    let n = min(engine.itemCount, 64)
    var category = ""
    for k in 0..<n {
        _ = engine.itemID(k)
        _ = engine.itemAnswer(k)
        category = engine.itemCategory(k)
        _ = engine.itemQuestions(k)
        _ = engine.itemAttributes(k)
        _ = engine.isHidden(k)
        _ = engine.itemExpiry(k)
        _ = try? engine.itemMessages(k)
    }
    for id in engine.allItemIDs.prefix(64) { _ = try? engine.item(id: id) }
    _ = try? engine.item(id: "phrase_hors_sujet")
    let questions = ["Comment poser des jours de congé ?", "bonjour", "j'ai perdu mon badge", "xyzzy 42"]
    for q in questions {
        _ = try? engine.match(q, options: MatchOptions(topK: 3))
    }
    _ = try? engine.match(questions[0], options: MatchOptions(topK: 10, category: category))
    if engine.embeddingDimension > 0, engine.embeddingDimension <= 4096 {
        let vector = [Float](repeating: 1 / Float(engine.embeddingDimension).squareRoot(), count: engine.embeddingDimension)
        _ = try? engine.match(questions[0], options: MatchOptions(topK: 3, queryVector: vector))
    }
}
