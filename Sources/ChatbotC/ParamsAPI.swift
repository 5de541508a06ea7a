import ChatbotErrors
import CChatbotABI
import ChatbotEngine
import KnowledgeSources

/// Option-struct entry points (`cb_*_with_params`), item lookup and the reply accessors.
/// Every value is checked here and handed to the engine, which decides.

/// Size of the first `cb_build_params`, which ended at `max_suggestions`: its `sizeof` (padded
/// to pointer alignment) is where the next field, `word_vectors_path`, starts.
let buildParamsV1Size = MemoryLayout<cb_build_params>.offset(of: \cb_build_params.word_vectors_path)!

/// The struct behind `params`, or the defaults for NULL; a `size` this library does not know
/// means the caller was built against another header. A caller compiled with the first
/// version of the struct passes its smaller size: only those bytes are read, and the fields
/// added since keep their defaults.
func buildParams(_ p: UnsafePointer<cb_build_params>?) throws(ChatbotError) -> cb_build_params {
    guard let p else { return cb_build_default_params() }
    let size = Int(UnsafeRawPointer(p).load(as: UInt32.self))
    if size == MemoryLayout<cb_build_params>.size { return p.pointee }
    guard size == buildParamsV1Size else {
        throw ChatbotError(.invalidArgument, "params.size is \(size), expected \(MemoryLayout<cb_build_params>.size) (or \(buildParamsV1Size) for the first version of the struct): start from cb_build_default_params()")
    }
    var params = cb_build_default_params()
    withUnsafeMutableBytes(of: &params) { $0.copyMemory(from: UnsafeRawBufferPointer(start: p, count: size)) }
    return params
}

func matchParams(_ p: UnsafePointer<cb_match_params>?) throws(ChatbotError) -> cb_match_params {
    guard let p else { return cb_match_default_params() }
    guard Int(p.pointee.size) == MemoryLayout<cb_match_params>.size else {
        throw ChatbotError(.invalidArgument, "params.size is \(p.pointee.size), expected \(MemoryLayout<cb_match_params>.size): start from cb_match_default_params()")
    }
    return p.pointee
}

func openLoading(_ p: UnsafePointer<cb_open_params>?) throws(ChatbotError) -> IndexLoading {
    guard let p else { return .copy }
    guard Int(p.pointee.size) == MemoryLayout<cb_open_params>.size else {
        throw ChatbotError(.invalidArgument, "params.size is \(p.pointee.size), expected \(MemoryLayout<cb_open_params>.size): start from cb_open_default_params()")
    }
    switch UInt32(bitPattern: p.pointee.mode) {
    case CB_OPEN_COPY.rawValue: return .copy
    case CB_OPEN_MAP.rawValue: return .map
    default: throw ChatbotError(.invalidArgument, "params.mode is \(p.pointee.mode): expected CB_OPEN_COPY (0) or CB_OPEN_MAP (1)")
    }
}

/// `base` with the settings the caller gave (negative floats and non-positive counts keep `base`'s).
func overriding(_ base: DecisionSettings, answer: Float, margin: Float, floor: Float, maxSuggestions: Int32) -> DecisionSettings {
    var s = base
    if !(answer < 0) { s.answerThreshold = answer }  // NaN counts as given, so that it is refused
    if !(margin < 0) { s.ambiguityMargin = margin }
    if !(floor < 0) { s.suggestionFloor = floor }
    if maxSuggestions > 0 { s.maxSuggestions = Int(maxSuggestions) }
    return s
}

@_cdecl("cb_engine_build_with_params")
public func cb_engine_build_with_params(_ sourcePath: UnsafePointer<CChar>?, _ params: UnsafePointer<cb_build_params>?,
                                        _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                        _ diagnosticsOut: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    diagnosticsOut?.pointee = nil
    return withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        let source = try requiredString(sourcePath, "source_path")
        let p = try buildParams(params)
        let synonyms = try optionalString(p.synonyms_path, "params.synonyms_path")
        let wordVectors = try optionalString(p.word_vectors_path, "params.word_vectors_path")
        var learning = LearningOptions()
        learning.enabled = p.learn != 0
        // Negative: the library's default. NaN counts as given, so that it is refused.
        if !(p.embedding_scale < 0) {
            if wordVectors != nil { learning.wordVectorScale = p.embedding_scale } else { learning.embeddingScale = p.embedding_scale }
        }
        let settings = overriding(DecisionSettings(), answer: p.answer_threshold, margin: p.ambiguity_margin,
                                  floor: p.suggestion_floor, maxSuggestions: p.max_suggestions)
        try settings.validate()
        do throws(ChatbotError) {
            let (engine, kb) = try Engine.build(sourcePath: source, synonymsPath: synonyms, learning: learning,
                                                settings: settings, smallTalk: p.small_talk != 0,
                                                wordVectorsPath: wordVectors)
            let handle = try EngineHandle.make(engine)
            if let diagnosticsOut {
                do throws(ChatbotError) { diagnosticsOut.pointee = try DiagnosticsBlock.make(kb.warnings) } catch {
                    cb_engine_free(handle)
                    throw error
                }
            }
            out.pointee = handle
        } catch {
            if error.kind == .invalidSource { diagnosticsOut?.pointee = try? DiagnosticsBlock.make(error.diagnostics) }
            throw error
        }
    }
}

/// Validates every argument of a match with options and runs it.
func runMatchJSON(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?, params: UnsafePointer<cb_match_params>?) throws(ChatbotError) -> [UInt8] {
    let result = try runMatch(engine, question, params: params)
    return result.jsonBytes(question: try requiredString(question, "question"))
}

func runMatch(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?, params: UnsafePointer<cb_match_params>?) throws(ChatbotError) -> MatchResult {
    let p = try matchParams(params)
    return try EngineHandle.with(engine) { (box) throws(ChatbotError) in
        let settings = overriding(box.engine.settings, answer: p.answer_threshold, margin: p.ambiguity_margin,
                                  floor: p.suggestion_floor, maxSuggestions: p.max_suggestions)
        // size_t fields arrive as Int, a value above Int.max (SIZE_MAX…) negative: passed as
        // they are, they are refused with the caller's value. `UInt(_:)` trapped on them
        // (found by fuzzing: top_k = SIZE_MAX killed the host).
        return try runMatch(engine, question, p.top_k, category: p.category, vector: p.query_vector,
                            dimension: p.query_dim, settings: settings)
    }
}

@_cdecl("cb_match_with_params")
public func cb_match_with_params(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?,
                                 _ params: UnsafePointer<cb_match_params>?,
                                 _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        out.pointee = try ResultBlock.make(runMatch(engine, question, params: params))
    }
}

@_cdecl("cb_match_json_with_params")
public func cb_match_json_with_params(_ engine: UnsafeRawPointer?, _ question: UnsafePointer<CChar>?,
                                      _ params: UnsafePointer<cb_match_params>?,
                                      _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        out.pointee = try OwnedCString.make(runMatchJSON(engine, question, params: params))
    }
}

@_cdecl("cb_engine_item_json")
public func cb_engine_item_json(_ engine: UnsafeRawPointer?, _ id: UnsafePointer<CChar>?,
                                _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        let json = try EngineHandle.with(engine) { (box) throws(ChatbotError) in
            let id = try requiredString(id, "id")
            guard let item = try box.engine.item(id: id) else { throw ChatbotError(.notFound, "no item has the id \"\(id)\"") }
            return item.itemJSON.serializedBytes
        }
        out.pointee = try OwnedCString.make(json)
    }
}

@_cdecl("cb_result_reply")
public func cb_result_reply(_ result: UnsafeRawPointer?) -> UnsafePointer<CChar>? {
    access(nil) { () throws(ChatbotError) in ResultBlock.reply(try ResultBlock.checked(result)) }
}

@_cdecl("cb_result_suggestion")
public func cb_result_suggestion(_ result: UnsafeRawPointer?, _ i: Int) -> Int32 {
    access(-1) { () throws(ChatbotError) in try ResultBlock.suggestion(ResultBlock.checked(result), i) }
}
