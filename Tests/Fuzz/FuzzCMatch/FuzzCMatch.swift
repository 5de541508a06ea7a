// libFuzzer target: matching through the C API (see docs/fuzzing.md).
//
// At start-up two engines are built from committed knowledge bases, saved, and opened
// again the way hosts open them: `cb_engine_open` on examples/rh (the demo's workbook,
// synonyms and the small-talk pack) and `cb_engine_open_memory` on Tests/Fuzz/kb/vectors.json
// (question embeddings, structured messages). Building at start-up rather than reading a
// committed index keeps the target valid whatever the index format becomes.
//
// Input: 8 bytes of parameters, then the question (NUL-terminated by the harness, so a
// NUL inside it cuts it as in C):
//   [0] bits 0-1: cb_match, cb_match_json, cb_match_with_params, cb_match_json_with_params;
//       bit 2: the vector engine; bit 3: a category; bit 4: a query vector;
//       bit 5: follow the first match with cb_engine_item_json; bit 6: cb_analyze_json too
//   [1] top_k (200+: values around the limits, incl. 0 and SIZE_MAX)
//   [2] max_suggestions (signed)   [3-5] answer threshold, margin, suggestion floor
//       (255 = NaN, 254 = negative = the index's, else byte / 200)
//   [6] category choice (an engine's category, or an unknown one)   [7] vector length
import CChatbotABI
import ChatbotC
#if canImport(Glibc)
import Glibc
#endif

private func fail(_ what: String) -> Never {
    fatalError("FuzzCMatch set-up: \(what): \(String(cString: cb_last_error()))")
}

/// The repository root: CHATBOT_FUZZ_ROOT, or four levels above this file.
private let root: String = {
    if let r = getenv("CHATBOT_FUZZ_ROOT") { return String(cString: r) }
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4)
    return parts.joined(separator: "/")
}()

private func pathString(_ chars: [CChar]) -> String {
    String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Builds `source`, saves the index to a temporary file and returns its bytes.
private func buildIndex(_ source: String, synonyms: String?, smallTalk: Bool) -> [UInt8] {
    var params = cb_build_default_params()
    params.small_talk = smallTalk ? 1 : 0
    var built: UnsafeMutableRawPointer?
    var status: Int32 = 0
    if let synonyms {
        status = synonyms.withCString { s in
            params.synonyms_path = s
            return cb_engine_build_with_params(root + "/" + source, &params, &built, nil)
        }
    } else {
        status = cb_engine_build_with_params(root + "/" + source, &params, &built, nil)
    }
    guard status == 0 else { fail("building \(source)") }
    var template = Array("/tmp/fuzz-cmatch-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { fatalError("mkstemp failed") }
    close(fd)
    let path = pathString(template)
    guard cb_engine_save(built, path) == 0 else { fail("saving \(source)") }
    cb_engine_free(built)
    defer { unlink(path) }
    guard let f = fopen(path, "rb") else { fatalError("cannot read \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

private struct Engines: @unchecked Sendable {
    let rh: UnsafeMutableRawPointer
    let vectors: UnsafeMutableRawPointer
    let categories: [String]
}

private let engines: Engines = {
    // examples/rh through a file and cb_engine_open.
    let rhBytes = buildIndex("examples/rh/faq.xlsx", synonyms: root + "/examples/rh/synonymes.txt", smallTalk: true)
    var template = Array("/tmp/fuzz-cmatch-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0, write(fd, rhBytes, rhBytes.count) == rhBytes.count else { fatalError("cannot write the index") }
    close(fd)
    let path = pathString(template)
    var rh: UnsafeMutableRawPointer?
    guard cb_engine_open(path, &rh) == 0, let rh else { fail("cb_engine_open") }
    unlink(path)
    // The vector base through cb_engine_open_memory.
    let vBytes = buildIndex("Tests/Fuzz/kb/vectors.json", synonyms: nil, smallTalk: false)
    var vectors: UnsafeMutableRawPointer?
    guard cb_engine_open_memory(vBytes, vBytes.count, &vectors) == 0, let vectors else { fail("cb_engine_open_memory") }
    return Engines(rh: rh, vectors: vectors, categories: ["Congés", "RH", "Sécurité", "Paie", "", "inconnue", "congés"])
}()

private func threshold(_ b: UInt8) -> Float {
    b == 255 ? .nan : b == 254 ? -1 : Float(b) / 200
}

private func topK(_ b: UInt8) -> Int {
    switch b {
    case 0..<200: return Int(b % 20) + 1
    case 200: return 0
    case 201: return 1000
    case 202: return 1001
    case 203: return -1  // SIZE_MAX for C
    default: return Int(b)
    }
}

/// Reads every accessor of a result, then frees it.
private func consume(_ result: UnsafeMutableRawPointer?) {
    guard let result else { fatalError("status 0 but no result") }
    let n = cb_result_count(result)
    _ = cb_result_decision(result)
    _ = cb_result_suggestion_count(result)
    for i in 0...n {  // one past the end on purpose: must be NULL / -1, not a crash
        _ = cb_result_id(result, i)
        _ = cb_result_question(result, i)
        _ = cb_result_answer(result, i)
        _ = cb_result_category(result, i)
        _ = cb_result_score(result, i)
        _ = cb_result_item_index(result, i)
        _ = cb_result_suggestion(result, i)
    }
    guard let reply = cb_result_reply(result), strlen(reply) > 0 else { fatalError("empty reply") }
    cb_result_free(result)
}

private func checkFailure(_ status: Int32) {
    if status != 0 && strlen(cb_last_error()) == 0 { fatalError("status \(status) without a message") }
}

/// Builds and opens the engines before the first input, outside any input's time limit.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    _ = engines
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 8 else { return 0 }
    let p = UnsafeBufferPointer(start: data, count: 8)
    let engine = p[0] & 4 != 0 ? engines.vectors : engines.rh
    var question = Array(UnsafeBufferPointer(start: data + 8, count: size - 8))
    question.append(0)
    let category = engines.categories[Int(p[6]) % engines.categories.count]
    let dim = Int(p[7] % 9)
    let vector = (0..<dim).map { Float(Int(p[($0 + 1) % 8]) - 128) / 64 }
    let useCategory = p[0] & 8 != 0, useVector = p[0] & 16 != 0
    question.withUnsafeBufferPointer { qb in
        let q = UnsafeRawPointer(qb.baseAddress!).assumingMemoryBound(to: CChar.self)
        category.withCString { cat in
            vector.withUnsafeBufferPointer { vb in
                var params = cb_match_default_params()
                params.top_k = topK(p[1])
                params.max_suggestions = Int32(Int8(bitPattern: p[2]))
                params.answer_threshold = threshold(p[3])
                params.ambiguity_margin = threshold(p[4])
                params.suggestion_floor = threshold(p[5])
                params.category = useCategory ? cat : nil
                params.query_vector = useVector ? vb.baseAddress : nil
                params.query_dim = useVector ? dim : 0
                var result: UnsafeMutableRawPointer?
                var json: UnsafeMutablePointer<CChar>?
                var status: Int32
                switch p[0] & 3 {
                case 0:
                    status = cb_match(engine, q, topK(p[1]), &result)
                    if status == 0 { consume(result) }
                case 1:
                    status = cb_match_json(engine, q, topK(p[1]), &json)
                case 2:
                    status = cb_match_with_params(engine, q, &params, &result)
                    if status == 0 {
                        if p[0] & 32 != 0, let id = cb_result_id(result, 0) {
                            var item: UnsafeMutablePointer<CChar>?
                            if cb_engine_item_json(engine, id, &item) != 0 { fatalError("item_json of a match failed") }
                            cb_string_free(item)
                        }
                        consume(result)
                    }
                default:
                    status = cb_match_json_with_params(engine, q, &params, &json)
                }
                checkFailure(status)
                if let json {
                    if strlen(json) == 0 { fatalError("empty JSON") }
                    cb_string_free(json)
                }
                if p[0] & 64 != 0 {
                    var analysis: UnsafeMutablePointer<CChar>?
                    checkFailure(cb_analyze_json(engine, q, &analysis))
                    cb_string_free(analysis)
                }
            }
        }
    }
    return 0
}
