// libFuzzer target: the synonyms file parser, with the real analyser (see docs/fuzzing.md).
import ChatbotEngine
import FrenchText

private let analyzer = Analyzer()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let table = try? SynonymTable.parse(bytes: bytes, fileName: "fuzz.txt", analyze: { analyzer.terms($0) }) {
        // Apply the table to the terms of its own input: the trie walk on related text.
        _ = table.apply(analyzer.terms(String(decoding: bytes.prefix(4096), as: UTF8.self)))
    }
    return 0
}
