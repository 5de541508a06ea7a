import ChatbotErrors
/// A 2-D float array read from or written to NumPy's `.npy` format.
///
/// Reading accepts format versions 1.0, 2.0 and 3.0, C order, dtypes `'<f4'`, `'<f2'` and
/// `'<f8'` (converted to Float; float64 values beyond Float's range become ±inf, which
/// `VectorMatrix` then rejects). A 1-D array is one row. Writing produces version 1.0
/// (2.0 if the header needs it) `'<f4'` with data 64-byte aligned, as NumPy does.
public struct NPYArray: Sendable, Equatable {
    public var rows: Int
    public var dim: Int
    /// `rows × dim` values, row-major.
    public var values: [Float]

    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// An array of `rows × dim` values (precondition-free: mismatches are thrown).
    public init(rows: Int, dim: Int, values: [Float]) throws(ChatbotError) {
        guard rows >= 0, dim >= 0, rows.multipliedReportingOverflow(by: dim) == (values.count, false) else {
            throw .unsupportedShape([rows, dim])
        }
        self.rows = rows
        self.dim = dim
        self.values = values
    }

    /// Parses the bytes of a `.npy` file.
    public init(parsing bytes: [UInt8]) throws(ChatbotError) {
        guard bytes.count >= 8 else {
            if !bytes.prefix(6).elementsEqual(Self.magic.prefix(bytes.count)) { throw .badMagic }
            throw .truncated(expected: 10, got: bytes.count)
        }
        guard Array(bytes[0..<6]) == Self.magic else { throw .badMagic }
        let major = bytes[6], minor = bytes[7]
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw .unsupportedVersion(major: major, minor: minor)
        }
        guard bytes.count >= 8 + lengthBytes else { throw .truncated(expected: 8 + lengthBytes, got: bytes.count) }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let dataStart = 8 + lengthBytes + headerLength
        guard bytes.count >= dataStart else { throw .truncated(expected: dataStart, got: bytes.count) }
        let headerBytes = Array(bytes[(8 + lengthBytes)..<dataStart])
        if major < 3 {
            // Versions 1 and 2 are latin-1; NumPy only ever writes ASCII there.
            guard headerBytes.allSatisfy({ $0 < 0x80 }) else { throw .headerParse("non-ASCII byte in a v\(major) header") }
        } else {
            guard String(validating: headerBytes, as: UTF8.self) != nil else { throw .headerParse("invalid UTF-8 in v3 header") }
        }
        let header = try NPYHeader(parsing: headerBytes)
        guard !header.fortranOrder else { throw .fortranOrder }
        let width: Int
        switch header.descr {
        case "<f4": width = 4
        case "<f2": width = 2
        case "<f8": width = 8
        default: throw .unsupportedDType(header.descr)
        }
        switch header.shape.count {
        case 1: (rows, dim) = (1, header.shape[0])
        case 2: (rows, dim) = (header.shape[0], header.shape[1])
        default: throw .unsupportedShape(header.shape)
        }
        let (count, o1) = rows.multipliedReportingOverflow(by: dim)
        let (dataBytes, o2) = count.multipliedReportingOverflow(by: width)
        let (end, o3) = dataStart.addingReportingOverflow(dataBytes)
        guard !o1, !o2, !o3 else { throw .unsupportedShape(header.shape) }
        guard bytes.count >= end else { throw .truncated(expected: end, got: bytes.count) }
        guard bytes.count == end else { throw .trailingData(count: bytes.count - end) }
        values = bytes.withUnsafeBytes { raw in
            let p = raw.baseAddress! + dataStart
            switch width {
            case 4: return (0..<count).map { Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            case 2: return (0..<count).map { Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))) }
            default: return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
            }
        }
    }

    /// The `.npy` file bytes: `'<f4'`, C order, shape `(rows, dim)`.
    public func serialized() -> [UInt8] {
        let text = Array(NPYHeader(descr: "<f4", fortranOrder: false, shape: [rows, dim]).text.utf8)
        // Pad with spaces and end with '\n' so the data starts on a 64-byte boundary.
        func paddedTotal(lengthBytes: Int) -> Int { (8 + lengthBytes + text.count + 1 + 63) / 64 * 64 }
        var lengthBytes = 2
        var total = paddedTotal(lengthBytes: 2)
        if total - 10 > Int(UInt16.max) {
            lengthBytes = 4
            total = paddedTotal(lengthBytes: 4)
        }
        let headerLength = total - 8 - lengthBytes
        var out = Self.magic + [lengthBytes == 2 ? 1 : 2, 0]
        for i in 0..<lengthBytes { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * i))) }
        out += text
        out += [UInt8](repeating: 0x20, count: headerLength - text.count - 1)
        out.append(0x0A)
        out.reserveCapacity(out.count + 4 * values.count)
        for v in values {
            let b = v.bitPattern.littleEndian
            out += [UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8),
                    UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24)]
        }
        return out
    }
}
