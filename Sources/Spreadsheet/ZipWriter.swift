import ChatbotErrors
/// Writes a zip archive in memory: deflated members, CRC-32, central directory (no zip64,
/// so at most 65,535 members and 4 GiB; a workbook is far below).
///
/// Every member gets the same fixed time stamp (1980-01-01 00:00, the earliest zip can
/// store), so the same content always gives the same bytes.
/// `package`: the workbook fuzz target (Tests/Fuzz/FuzzWorkbookXML) zips its members with it.
package struct ZipWriter {
    private(set) var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    package init() {}

    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1  // 1980-01-01

    /// Adds a member, deflated (or stored when deflate does not make it smaller).
    package mutating func add(_ name: String, _ data: [UInt8]) throws(ChatbotError) {
        let nameBytes = Array(name.utf8)
        let deflated = try Deflate.compress(data)
        let (method, payload): (UInt16, [UInt8]) = deflated.count < data.count ? (8, deflated) : (0, data)
        let crc = zipCRC32(data)
        guard bytes.count < 0xFFFF_FFFF - payload.count - 30 - nameBytes.count, count < 0xFFFF else {
            throw .tooLarge(0xFFFF_FFFF)
        }
        let offset = UInt32(bytes.count)
        // Bit 11: names are UTF-8.
        let flags: UInt16 = nameBytes.allSatisfy({ $0 < 0x80 }) ? 0 : 0x0800

        // Local file header.
        bytes.appendLE32(0x0403_4B50)
        bytes.appendLE16(20)  // version needed: 2.0 (deflate)
        bytes.appendLE16(flags)
        bytes.appendLE16(method)
        bytes.appendLE16(Self.dosTime)
        bytes.appendLE16(Self.dosDate)
        bytes.appendLE32(crc)
        bytes.appendLE32(UInt32(payload.count))
        bytes.appendLE32(UInt32(data.count))
        bytes.appendLE16(UInt16(nameBytes.count))
        bytes.appendLE16(0)
        bytes.append(contentsOf: nameBytes)
        bytes.append(contentsOf: payload)

        // Its central directory record.
        directory.appendLE32(0x0201_4B50)
        directory.appendLE16(20)  // made by: MS-DOS, 2.0
        directory.appendLE16(20)
        directory.appendLE16(flags)
        directory.appendLE16(method)
        directory.appendLE16(Self.dosTime)
        directory.appendLE16(Self.dosDate)
        directory.appendLE32(crc)
        directory.appendLE32(UInt32(payload.count))
        directory.appendLE32(UInt32(data.count))
        directory.appendLE16(UInt16(nameBytes.count))
        directory.appendLE16(0)  // extra
        directory.appendLE16(0)  // comment
        directory.appendLE16(0)  // disk
        directory.appendLE16(0)  // internal attributes
        directory.appendLE32(0)  // external attributes
        directory.appendLE32(offset)
        directory.append(contentsOf: nameBytes)
        count += 1
    }

    /// The finished archive.
    package func finish() -> [UInt8] {
        var out = bytes
        let directoryOffset = UInt32(out.count)
        out.append(contentsOf: directory)
        out.appendLE32(0x0605_4B50)
        out.appendLE16(0)
        out.appendLE16(0)
        out.appendLE16(UInt16(count))
        out.appendLE16(UInt16(count))
        out.appendLE32(UInt32(directory.count))
        out.appendLE32(directoryOffset)
        out.appendLE16(0)  // comment length
        return out
    }
}

extension Array where Element == UInt8 {
    mutating func appendLE16(_ v: UInt16) {
        append(UInt8(v & 0xFF)); append(UInt8(v >> 8))
    }

    mutating func appendLE32(_ v: UInt32) {
        append(UInt8(v & 0xFF)); append(UInt8((v >> 8) & 0xFF)); append(UInt8((v >> 16) & 0xFF)); append(UInt8(v >> 24))
    }
}
