// libFuzzer target: the .npy reader of NPYFiles (see docs/fuzzing.md).
import NPYFiles
import VectorSearch

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let array = try? NPYArray(parsing: bytes) {
        guard array.values.count == array.rows * array.dim else {
            fatalError("NPYArray: \(array.values.count) values for \(array.rows) x \(array.dim)")
        }
        // What a build does with it: normalised rows in a matrix (errors for NaN, zero rows).
        if array.rows > 0, array.dim > 0, array.values.count <= 1 << 16 {
            _ = try? VectorMatrix(rows: array.rows, dim: array.dim, values: array.values, type: .float32)
        }
    }
    return 0
}
