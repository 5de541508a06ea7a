// libFuzzer target: the index loader on arbitrary bytes (see docs/fuzzing.md). Most
// mutations die at the checksum; FuzzIndexSealed reseals them to fuzz what lies behind it.
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    exerciseIndex(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
