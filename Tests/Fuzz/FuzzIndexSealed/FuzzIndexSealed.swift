// libFuzzer target: the index loader on "resealed" bytes (see docs/fuzzing.md): every
// checksum is recomputed over the mutated input (`IndexWriter.seal`), so the structural
// validation behind the checksum (header, section table, bounds, offsets, ids, floats) and
// the matcher on whatever passes it are what gets fuzzed.
import ChatbotEngine
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    IndexWriter.seal(&bytes)
    exerciseIndex(bytes)
    return 0
}
