import ChatbotErrors
import CZlib

/// Decompresses zip members (stored or deflate) under the limits, in chunks.
///
/// Declared sizes are never trusted: inflation stops as soon as the output exceeds the
/// declared size, the per-member or total limit, or the compression-ratio limit, so a zip
/// bomb costs at most one chunk beyond the limit.
final class MemberReader {
    let archive: ZipArchive
    let limits: SpreadsheetLimits
    /// Decompressed bytes produced so far over all members, against `maxUncompressedBytes`.
    private(set) var totalOutput = 0

    static let chunkSize = 256 << 10
    /// Below this output size the ratio is not judged: small XML parts compress extremely well.
    static let ratioThreshold = 1 << 20

    init(archive: ZipArchive, limits: SpreadsheetLimits) {
        self.archive = archive
        self.limits = limits
    }

    /// The whole member in memory.
    func read(_ entry: ZipEntry) throws(ChatbotError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(entry.uncompressedSize, Self.chunkSize))
        try stream(entry) { (chunk: UnsafeRawBufferPointer) throws(ChatbotError) -> Bool in
            output.append(contentsOf: chunk)
            return true
        }
        return output
    }

    /// Feeds the member to `sink` chunk by chunk; `sink` returns false to stop early (the
    /// CRC is then not checked, as the rest of the member is not needed).
    func stream(_ entry: ZipEntry,
                into sink: (UnsafeRawBufferPointer) throws(ChatbotError) -> Bool) throws(ChatbotError) {
        if entry.isEncrypted { throw .encryptedMember }
        guard entry.method == 0 || entry.method == 8 else {
            throw .unreadable("unsupported_compression",
                              "méthode de compression non prise en charge (n° \(entry.method)) pour « \(entry.name) »")
        }
        if entry.uncompressedSize > limits.maxUncompressedBytes
            || entry.uncompressedSize > limits.maxUncompressedBytes - totalOutput {
            throw .tooLarge(limits.maxUncompressedBytes)
        }
        let range = try archive.dataRange(of: entry)
        var crc: UInt = crc32(0, nil, 0)
        var produced = 0
        var stopped = false

        // Every chunk passes here: the size checks happen before the sink sees the bytes.
        func deliver(_ chunk: UnsafeRawBufferPointer, consumed: Int) throws(ChatbotError) {
            produced += chunk.count
            totalOutput += chunk.count
            if produced > entry.uncompressedSize { throw .zipBomb }
            if totalOutput > limits.maxUncompressedBytes { throw .tooLarge(limits.maxUncompressedBytes) }
            if produced > Self.ratioThreshold && produced / max(consumed, 1) > limits.maxCompressionRatio {
                throw .zipBomb
            }
            if let base = chunk.baseAddress {
                crc = crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(chunk.count))
            }
            if try !sink(chunk) { stopped = true }
        }

        try archive.bytes.withBytes { (all: UnsafeRawBufferPointer) throws(ChatbotError) in
            let input = UnsafeRawBufferPointer(rebasing: all[range])
            if entry.method == 0 {
                guard entry.compressedSize == entry.uncompressedSize else {
                    throw .zipMalformed("tailles incohérentes pour « \(entry.name) »")
                }
                var offset = 0
                while offset < input.count && !stopped {
                    let end = min(offset + Self.chunkSize, input.count)
                    try deliver(UnsafeRawBufferPointer(rebasing: input[offset..<end]), consumed: end)
                    offset = end
                }
            } else {
                try Self.inflateRaw(input, name: entry.name, stopped: { stopped }, deliver: deliver)
            }
        }
        if stopped { return }
        guard produced == entry.uncompressedSize else {
            throw .zipMalformed("taille décompressée incorrecte pour « \(entry.name) »")
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else {
            throw .zipMalformed("somme de contrôle CRC incorrecte pour « \(entry.name) »")
        }
    }

    /// Raw deflate (no zlib header), as zip stores it.
    private static func inflateRaw(
        _ input: UnsafeRawBufferPointer, name: String, stopped: () -> Bool,
        deliver: (UnsafeRawBufferPointer, Int) throws(ChatbotError) -> Void
    ) throws(ChatbotError) {
        var stream = z_stream()
        // `inflateInit2` is a macro Swift cannot import; this is what it expands to.
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ChatbotError.spreadsheet(code: "zlib_error", message: "Erreur interne : la décompression n'a pas pu démarrer.")
        }
        defer { inflateEnd(&stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { output.deallocate() }

        // zlib never writes through next_in; the cast only satisfies its C signature.
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(chunkSize)
            let status = inflate(&stream, Z_NO_FLUSH)
            let count = chunkSize - Int(stream.avail_out)
            switch status {
            case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                if count > 0 {
                    try deliver(UnsafeRawBufferPointer(rebasing: output[0..<count]), input.count - Int(stream.avail_in))
                    if stopped() { return }
                }
                if status == Z_STREAM_END { return }
                // No progress with all input consumed: the deflate stream was cut short.
                if count == 0 && stream.avail_in == 0 { throw .zipTruncated }
            case Z_DATA_ERROR:
                throw .zipMalformed("données compressées invalides dans « \(name) »")
            default:
                throw .zipMalformed("erreur de décompression \(status) dans « \(name) »")
            }
        }
    }
}

/// CRC-32 as zip uses it (zlib's), exposed for tests that assemble archives.
func zipCRC32(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
        UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress, uInt(buffer.count)))
    }
}
