import ChatbotErrors
import ChatbotEngine

/// Matching (`cb_match*`), result accessors (`cb_result_*`) and JSON output.

/// Checks `top_k` here rather than relying on the engine, so that a `size_t` too large for
/// `Int` (which arrives negative) gets a message showing the value the caller passed.
func checkedTopK(_ topK: Int) throws(ChatbotError) -> Int {
    guard topK >= 1, topK <= MatchOptions.maxTopK else {
        throw ChatbotError(.invalidArgument, "top_k must be between 1 and \(MatchOptions.maxTopK), got \(UInt(bitPattern: topK))")
    }
    return topK
}

/// Validates every argument of a single-question match and runs it.
/// `runMatch` as the bytes of the match object (README, "The match object").
func runMatchJSON(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?, _ topK: Int) throws(ChatbotError) -> [UInt8] {
    let result = try runMatch(engine, question, topK)
    return result.jsonBytes(question: try requiredString(question, "question"))
}

func runMatch(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?, _ topK: Int,
              category: UnsafePointer<CChar>? = nil, vector: UnsafePointer<Float>? = nil, dimension: Int = 0,
              settings: DecisionSettings? = nil) throws(ChatbotError) -> MatchResult {
    try EngineHandle.with(engine) { (box) throws(ChatbotError) in
        let question = try requiredString(question, "question")
        var options = MatchOptions(topK: try checkedTopK(topK))
        options.settings = settings
        options.category = try optionalString(category, "category")
        if let vector {
            guard dimension > 0 else { throw ChatbotError(.invalidArgument, "query_dim must be positive when query_vector is given") }
            options.queryVector = Array(UnsafeBufferPointer(start: vector, count: dimension))
        } else if dimension != 0 {
            throw ChatbotError(.invalidArgument, "query_vector is NULL but query_dim is \(UInt(bitPattern: dimension))")
        }
        return try box.engine.match(question, options: options)
    }
}

@_cdecl("cb_match")
public func cb_match(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?, _ topK: Int,
                     _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        out.pointee = try ResultBlock.make(runMatch(engine, question, topK))
    }
}

@_cdecl("cb_match_ex")
public func cb_match_ex(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?, _ topK: Int,
                        _ category: UnsafePointer<CChar>?, _ queryVector: UnsafePointer<Float>?, _ queryDim: Int,
                        _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        let result = try runMatch(engine, question, topK, category: category, vector: queryVector, dimension: queryDim)
        out.pointee = try ResultBlock.make(result)
    }
}

@_cdecl("cb_match_json")
public func cb_match_json(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?, _ topK: Int,
                          _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        out.pointee = try OwnedCString.make(runMatchJSON(engine, question, topK))
    }
}

@_cdecl("cb_match_batch")
public func cb_match_batch(_ engine: UnsafeRawPointer?, _ questions: UnsafePointer<UnsafePointer<CChar>?>?, _ n: Int,
                           _ topK: Int, _ itemIndices: UnsafeMutablePointer<Int32>?, _ scores: UnsafeMutablePointer<Float>?,
                           _ decisions: UnsafeMutablePointer<Int32>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        try EngineHandle.with(engine) { (box) throws(ChatbotError) in
            guard let questions else { throw ChatbotError(.invalidArgument, "questions is NULL") }
            guard let itemIndices else { throw ChatbotError(.invalidArgument, "item_indices is NULL") }
            guard let scores else { throw ChatbotError(.invalidArgument, "scores is NULL") }
            guard let decisions else { throw ChatbotError(.invalidArgument, "decisions is NULL") }
            let k = try checkedTopK(topK)
            guard n >= 0, !n.multipliedReportingOverflow(by: k).overflow else {
                throw ChatbotError(.invalidArgument, "n × top_k overflows (n = \(UInt(bitPattern: n)))")
            }
            var options = MatchOptions(topK: k)
            options.buildsReply = false  // the batch returns ids, scores and decisions only
            for i in 0..<n {
                guard let q = questions[i] else { throw ChatbotError(.invalidArgument, "questions[\(i)] is NULL") }
                let text = try validString(q, "questions[\(i)]")
                let result = try box.engine.match(text, options: options)
                let row = i * k
                for j in 0..<k {
                    if j < result.matches.count {
                        itemIndices[row + j] = Int32(clamping: result.matches[j].itemIndex)
                        scores[row + j] = result.matches[j].score
                    } else {
                        itemIndices[row + j] = -1
                        scores[row + j] = 0
                    }
                }
                decisions[i] = decisionCode(result.decision)
            }
        }
    }
}

// MARK: Result accessors

/// Runs an accessor: on an invalid result or index, records the error and returns `fallback`.
@inline(__always)
func access<R>(_ fallback: R, _ body: () throws(ChatbotError) -> R) -> R {
    do { return try body() } catch {
        LastError.set(error.message)
        return fallback
    }
}

@_cdecl("cb_result_count")
public func cb_result_count(_ result: UnsafeRawPointer?) -> Int {
    access(0) { () throws(ChatbotError) in ResultBlock.count(try ResultBlock.checked(result)) }
}

@_cdecl("cb_result_decision")
public func cb_result_decision(_ result: UnsafeRawPointer?) -> Int32 {
    access(decisionCode(.fallback)) { () throws(ChatbotError) in ResultBlock.decision(try ResultBlock.checked(result)) }
}

@_cdecl("cb_result_suggestion_count")
public func cb_result_suggestion_count(_ result: UnsafeRawPointer?) -> Int {
    access(0) { () throws(ChatbotError) in Int(ResultBlock.suggestionCount(try ResultBlock.checked(result))) }
}

@_cdecl("cb_result_item_index")
public func cb_result_item_index(_ result: UnsafeRawPointer?, _ i: Int) -> Int32 {
    access(-1) { () throws(ChatbotError) in try ResultBlock.entry(ResultBlock.checked(result), i).itemIndex }
}

@_cdecl("cb_result_score")
public func cb_result_score(_ result: UnsafeRawPointer?, _ i: Int) -> Float {
    access(-1) { () throws(ChatbotError) in try ResultBlock.entry(ResultBlock.checked(result), i).score }
}

/// One of the string fields of match `i`, owned by the result block.
func resultString(_ result: UnsafeRawPointer?, _ i: Int, _ field: KeyPath<ResultBlock.Entry, Int>) -> UnsafePointer<CChar>? {
    access(nil) { () throws(ChatbotError) in
        let block = try ResultBlock.checked(result)
        return ResultBlock.string(block, at: try ResultBlock.entry(block, i)[keyPath: field])
    }
}

@_cdecl("cb_result_id")
public func cb_result_id(_ result: UnsafeRawPointer?, _ i: Int) -> UnsafePointer<CChar>? {
    resultString(result, i, \.id)
}

@_cdecl("cb_result_question")
public func cb_result_question(_ result: UnsafeRawPointer?, _ i: Int) -> UnsafePointer<CChar>? {
    resultString(result, i, \.question)
}

@_cdecl("cb_result_answer")
public func cb_result_answer(_ result: UnsafeRawPointer?, _ i: Int) -> UnsafePointer<CChar>? {
    resultString(result, i, \.answer)
}

@_cdecl("cb_result_category")
public func cb_result_category(_ result: UnsafeRawPointer?, _ i: Int) -> UnsafePointer<CChar>? {
    resultString(result, i, \.category)
}

@_cdecl("cb_result_free")
public func cb_result_free(_ result: UnsafeMutableRawPointer?) {
    guard let result else { return }
    _ = withStatus { () throws(ChatbotError) in try ResultBlock.release(result) }
}

// MARK: Analysis and strings

@_cdecl("cb_analyze_json")
public func cb_analyze_json(_ engine: UnsafeRawPointer?, _ text: UnsafePointer<CChar>?,
                            _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        let json = try EngineHandle.with(engine) { (box) throws(ChatbotError) in
            let (tokens, terms) = box.engine.analyze(try requiredString(text, "text"))
            return analysisJSON(tokens: tokens, terms: terms).serializedBytes
        }
        out.pointee = try OwnedCString.make(json)
    }
}

@_cdecl("cb_string_free")
public func cb_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    guard let string else { return }
    _ = withStatus { () throws(ChatbotError) in try OwnedCString.release(string) }
}
