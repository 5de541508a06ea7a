import CChatbotABI
import ChatbotC
import ChatbotEngine
import Testing

/// Inputs of the C-API fuzz target (Tests/Fuzz/FuzzCMatch, docs/fuzzing.md) that crashed the
/// host, replayed through the same C entry points (also kept in
/// Tests/Fuzz/corpus/FuzzCMatch/crash-*; the C suite checks the same in C, Tests/C/test_api.c).
struct CAPIFuzzRegressionTests {
    static func engine() throws -> UnsafeMutableRawPointer {
        let tsv = Array("conges\tComment poser un congé ?\nbadge\tj'ai perdu mon badge\n".utf8)
        let kb = try KnowledgeBaseLoader.parse(bytes: tsv, fileName: "kb.tsv", format: .tsv)
        let bytes = try Engine.build(kb).indexBytes
        var engine: UnsafeMutableRawPointer?
        #expect(cb_engine_open_memory(bytes, bytes.count, &engine) == 0)
        return try #require(engine)
    }

    /// crash-top-k-size-max: `cb_match_with_params` with `top_k = SIZE_MAX` (which Swift sees
    /// as -1) trapped converting it with `UInt(_:)`; likewise `query_dim`. Now refused.
    @Test func sizeMaxInMatchParamsIsRefused() throws {
        let engine = try Self.engine()
        defer { cb_engine_free(engine) }
        let invalidArgument = Int32(CB_ERR_INVALID_ARGUMENT.rawValue)
        var result: UnsafeMutableRawPointer?
        var json: UnsafeMutablePointer<CChar>?
        var params = cb_match_default_params()
        params.top_k = -1  // SIZE_MAX
        #expect(cb_match_with_params(engine, "badge", &params, &result) == invalidArgument)
        #expect(String(cString: cb_last_error()).contains("18446744073709551615"))
        #expect(cb_match_json_with_params(engine, "badge", &params, &json) == invalidArgument)
        params = cb_match_default_params()
        params.query_dim = -1
        #expect(cb_match_with_params(engine, "badge", &params, &result) == invalidArgument)
        let vector: [Float] = [1, 0, 0]
        vector.withUnsafeBufferPointer { v in
            params.query_vector = v.baseAddress
            #expect(cb_match_with_params(engine, "badge", &params, &result) == invalidArgument)
        }
        params = cb_match_default_params()
        #expect(cb_match_with_params(engine, "badge", &params, &result) == 0)
        cb_result_free(result)
    }
}
