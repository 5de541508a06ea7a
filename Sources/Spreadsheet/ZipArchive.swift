import ChatbotErrors
/// One member of a zip archive, as described by the central directory.
struct ZipEntry {
    var name: String
    var flags: UInt16
    var method: UInt16
    var crc32: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int

    var isEncrypted: Bool { flags & 1 != 0 }
}

/// A read-only view of a zip archive held in memory (no zip64, single disk).
///
/// Sizes and offsets come from the central directory; every one is bounds-checked against
/// the buffer before use, and declared uncompressed sizes are only used to refuse early,
/// never trusted while inflating (see `Inflate`).
struct ZipArchive {
    let bytes: [UInt8]
    private(set) var entries: [ZipEntry] = []
    private var indexByName: [String: Int] = [:]
    /// Where member data must end: the central directory follows the last member.
    private let dataEnd: Int

    private static let endRecordSize = 22
    private static let centralHeaderSize = 46
    private static let localHeaderSize = 30

    init(bytes: [UInt8]) throws(ChatbotError) {
        self.bytes = bytes
        guard let end = Self.findEndRecord(bytes) else {
            // A zip that starts like one but has no end record was cut short (partial upload).
            throw bytes.starts(with: [0x50, 0x4B]) ? .zipTruncated
                : .unreadable("not_a_workbook", "ce n'est pas une archive zip")
        }
        let diskNumber = bytes.le16(end + 4), directoryDisk = bytes.le16(end + 6)
        let entriesOnDisk = bytes.le16(end + 8), entryCount = bytes.le16(end + 10)
        let directorySize = Int(bytes.le32(end + 12)), directoryOffset = Int(bytes.le32(end + 16))
        let hasZip64Locator = end >= 20 && bytes.le32(end - 20) == 0x0706_4B50
        if hasZip64Locator || entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw .zip64
        }
        guard diskNumber == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
            throw .zipMalformed("archive en plusieurs parties")
        }
        guard directoryOffset <= end, directorySize <= end - directoryOffset else { throw .zipTruncated }
        dataEnd = directoryOffset

        var position = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        entries.reserveCapacity(Int(entryCount))
        for _ in 0..<Int(entryCount) {
            guard position + Self.centralHeaderSize <= directoryEnd else { throw .zipTruncated }
            guard bytes.le32(position) == 0x0201_4B50 else { throw .zipMalformed("répertoire central invalide") }
            let nameLength = Int(bytes.le16(position + 28))
            let extraLength = Int(bytes.le16(position + 30))
            let commentLength = Int(bytes.le16(position + 32))
            let nameStart = position + Self.centralHeaderSize
            let next = nameStart + nameLength + extraLength + commentLength
            guard next <= directoryEnd else { throw .zipTruncated }
            let entry = ZipEntry(
                name: String(decoding: bytes[nameStart..<nameStart + nameLength], as: UTF8.self),
                flags: bytes.le16(position + 8),
                method: bytes.le16(position + 10),
                crc32: bytes.le32(position + 16),
                compressedSize: Int(bytes.le32(position + 20)),
                uncompressedSize: Int(bytes.le32(position + 24)),
                localHeaderOffset: Int(bytes.le32(position + 42)))
            if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF
                || entry.localHeaderOffset == 0xFFFF_FFFF {
                throw .zip64
            }
            // Duplicate names: the first one wins, as most readers do.
            if indexByName[entry.name] == nil { indexByName[entry.name] = entries.count }
            entries.append(entry)
            position = next
        }
    }

    /// Whether the bytes look like the start of a zip archive.
    static func hasZipSignature(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    func entry(named name: String) -> ZipEntry? {
        indexByName[name].map { entries[$0] }
    }

    /// The byte range of a member's compressed data, validated against the archive.
    func dataRange(of entry: ZipEntry) throws(ChatbotError) -> Range<Int> {
        let header = entry.localHeaderOffset
        guard header <= dataEnd - Self.localHeaderSize else { throw .zipTruncated }
        guard bytes.le32(header) == 0x0403_4B50 else { throw .zipMalformed("en-tête local invalide") }
        let start = header + Self.localHeaderSize + Int(bytes.le16(header + 26)) + Int(bytes.le16(header + 28))
        guard start <= dataEnd, entry.compressedSize <= dataEnd - start else { throw .zipTruncated }
        return start..<start + entry.compressedSize
    }

    /// The end-of-central-directory record sits in the last 22 bytes plus at most a 64 KiB comment.
    private static func findEndRecord(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= endRecordSize else { return nil }
        let lowest = max(0, bytes.count - endRecordSize - 0xFFFF)
        var position = bytes.count - endRecordSize
        while position >= lowest {
            if bytes[position] == 0x50 && bytes.le32(position) == 0x0605_4B50 {
                // The comment must fit in the file, which rules out most stray signatures
                // inside compressed data; trailing bytes after it are tolerated.
                if position + endRecordSize + Int(bytes.le16(position + 20)) <= bytes.count { return position }
            }
            position -= 1
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// Little-endian reads; callers have checked `offset + width <= count`.
    func le16(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func le32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` with a typed throw (the standard one only rethrows `any Error`).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ChatbotError) -> R) throws(ChatbotError) -> R {
        let result: Result<R, ChatbotError> = withUnsafeBytes { buffer in
            do throws(ChatbotError) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
