// libFuzzer target: the French analyser on arbitrary bytes (see docs/fuzzing.md).
import ChatbotErrors
import FrenchText

private let analyzer = Analyzer()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // Raw bytes: invalid UTF-8 must be a ChatbotError, never a crash.
    if let tokens = try? analyzer.analyze(utf8: bytes) {
        // Every token's byte range lies inside the input.
        for t in tokens where t.token.byteRange.lowerBound < 0 || t.token.byteRange.upperBound > size {
            fatalError("token range \(t.token.byteRange) outside 0..<\(size)")
        }
    }
    // The String path (invalid bytes repaired to U+FFFD) and the terms.
    _ = analyzer.terms(String(decoding: bytes, as: UTF8.self))
    return 0
}
