// libFuzzer target: CSV sources (see docs/fuzzing.md). `KnowledgeSource` reads a CSV whose
// header is the Usine template's as the template (every check of the template) and any
// other CSV with the engine's own parser, so both are fuzzed; the seeds hold both kinds.
import ChatbotEngine
import KnowledgeSources

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let kb = try? KnowledgeSource.parse(bytes: bytes, fileName: "fuzz.csv", format: .csv) {
        _ = kb.items.count + kb.warnings.count
    }
    return 0
}
