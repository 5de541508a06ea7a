#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import FrenchText

/// A CLI failure with a message for stderr and a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Calls `body` for each line of stdin (without its newline, CR stripped).
/// Invalid UTF-8 stops with an error naming the line, instead of being replaced silently.
func forEachStdinLine(_ body: (String) throws -> Void) throws {
    var lineNumber = 0
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    func emit(_ bytes: ArraySlice<UInt8>) throws {
        lineNumber += 1
        var line = bytes
        if line.last == 13 { line = line.dropLast() }
        guard let s = String(validating: line, as: UTF8.self) else {
            throw CLIError("stdin line \(lineNumber): \(TextError.invalidUTF8(byteOffset: firstInvalidUTF8Offset(line)))")
        }
        try body(s)
    }
    while true {
        let n = read(0, &buffer, buffer.count)
        if n < 0 { throw CLIError("cannot read stdin: errno \(errno)") }
        if n == 0 { break }
        var start = 0
        for i in 0..<n where buffer[i] == 10 {
            if pending.isEmpty {
                try emit(buffer[start..<i])
            } else {
                pending.append(contentsOf: buffer[start..<i])
                try emit(pending[...])
                pending.removeAll(keepingCapacity: true)
            }
            start = i + 1
        }
        pending.append(contentsOf: buffer[start..<n])
    }
    if !pending.isEmpty { try emit(pending[...]) }
}

/// Offset of the first byte that does not start a valid UTF-8 sequence.
func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int {
    var i = bytes.startIndex
    while i < bytes.endIndex {
        let b = bytes[i]
        let len: Int
        switch b {
        case 0x00...0x7F: len = 1
        case 0xC2...0xDF: len = 2
        case 0xE0...0xEF: len = 3
        case 0xF0...0xF4: len = 4
        default: return i - bytes.startIndex
        }
        if i + len > bytes.endIndex { return i - bytes.startIndex }
        if String(validating: bytes[i..<i + len], as: UTF8.self) == nil { return i - bytes.startIndex }
        i += len
    }
    return bytes.count
}

/// Buffered stdout writer: one write(2) per 64 KiB instead of one per line.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    init() { bytes.reserveCapacity(1 << 16) }
    mutating func write(_ s: String) {
        // Through withUTF8: appending `s.utf8` goes element by element.
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        if bytes.count >= 1 << 16 { flush() }
    }
    mutating func flush() {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + off, bytes.count - off) }
            if n <= 0 { break }
            off += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

/// JSON string literal with the escapes RFC 8259 requires.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
