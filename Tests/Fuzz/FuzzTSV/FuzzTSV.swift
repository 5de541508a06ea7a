// libFuzzer target: the engine's TSV source parser (see docs/fuzzing.md).
import ChatbotErrors
import ChatbotEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Malformed input must be a thrown SourceDiagnostic, never a trap or a hang.
    if let kb = try? KnowledgeBaseLoader.parse(bytes: bytes, fileName: "fuzz.tsv", format: .tsv) {
        _ = kb.items.count + kb.warnings.count
    }
    return 0
}
