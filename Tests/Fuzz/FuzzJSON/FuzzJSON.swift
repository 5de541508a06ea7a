// libFuzzer target: the engine's JSON source parser (see docs/fuzzing.md).
import ChatbotEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let kb = try? KnowledgeBaseLoader.parse(bytes: bytes, fileName: "fuzz.json", format: .json) {
        _ = kb.items.count + kb.warnings.count
    }
    return 0
}
