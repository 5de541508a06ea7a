import ChatbotErrors
import CZlib

/// Raw deflate (no zlib header or trailer), as zip stores members, and the zip CRC-32.
enum Deflate {
    /// Compresses `input` in one call; `level` 0–9 (6 is zlib's default).
    static func compress(_ input: [UInt8], level: Int32 = 6) throws(ChatbotError) -> [UInt8] {
        var stream = z_stream()
        // `deflateInit2` is a macro Swift cannot import; this is what it expands to.
        // windowBits -15: raw deflate with a 32 KiB window; memLevel 8: zlib's default.
        guard deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ChatbotError.spreadsheet(code: "zlib_error", message: "Erreur interne : la compression n'a pas pu démarrer.")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: max(bound, 16))
        let status: Int32 = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                // zlib never writes through next_in; the cast only satisfies its C signature.
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound guarantees one Z_FINISH call is enough.
        guard status == Z_STREAM_END else {
            throw ChatbotError.spreadsheet(code: "zlib_error", message: "Erreur interne : la compression a échoué (\(status)).")
        }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }
}
