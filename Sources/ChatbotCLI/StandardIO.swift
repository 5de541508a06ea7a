#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import ArgumentParser
import ChatbotEngine
import FrenchText

extension ChatbotError {
    /// A command line that cannot be carried out (a bad option, a refused file): the
    /// message goes to stderr, with a non-zero exit.
    static func usage(_ message: String) -> ChatbotError { .invalidArgument(message) }
}

/// Calls `body` for each line of stdin (without its newline, CR stripped).
/// Invalid UTF-8 stops with an error naming the line, instead of being replaced silently.
func forEachStdinLine(_ body: (String) throws -> Void) throws {
    try forEachStdinLine { line, _ in try body(line) }
}

/// Calls `body` for each line of stdin holding text the C API and the bindings would be
/// given (a question, a text to anonymise). A line with a NUL byte, where a C string would
/// end, is refused as they refuse it: `stdin line N: WHAT contains a NUL byte at byte
/// offset K` on stderr, nothing on stdout for it, and reading goes on with the next line.
/// `onRefused` runs for each refused line (to keep other per-line inputs aligned).
/// Returns how many lines were refused; the caller exits non-zero when there were any.
func forEachStdinText(_ what: String, onRefused: () -> Void = {}, _ body: (String) throws -> Void) throws -> Int {
    var refused = 0
    try forEachStdinLine { line, number in
        if let nul = line.utf8.firstIndex(of: 0) {
            printError("stdin line \(number): \(what) contains a NUL byte at byte offset \(line.utf8.distance(from: line.utf8.startIndex, to: nul))")
            refused += 1
            onRefused()
            return
        }
        try body(line)
    }
    return refused
}

/// The error thrown at the end when `forEachStdinText` refused lines: exit status 1, after
/// every other line was answered and printed.
func refusedLinesError(_ refused: Int, _ what: String) -> ChatbotError {
    ChatbotError.usage("\(refused) stdin line\(refused > 1 ? "s were" : " was") refused (\(what) with a NUL byte); the other lines were processed")
}

/// `forEachStdinLine` with the 1-based line number.
func forEachStdinLine(_ body: (String, Int) throws -> Void) throws {
    var lineNumber = 0
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    func emit(_ bytes: ArraySlice<UInt8>) throws {
        lineNumber += 1
        var line = bytes
        if line.last == 13 { line = line.dropLast() }
        guard let s = String(validating: line, as: UTF8.self) else {
            throw ChatbotError.usage("stdin line \(lineNumber): \(ChatbotError.invalidUTF8(byteOffset: firstInvalidUTF8Offset(line)))")
        }
        try body(s, lineNumber)
    }
    while true {
        let n = read(0, &buffer, buffer.count)
        if n < 0 { throw ChatbotError.usage("cannot read stdin: errno \(errno)") }
        if n == 0 { break }
        var start = 0
        while let i = nextNewline(in: buffer, from: start, to: n) {
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

/// Index of the first newline in `buffer[from..<to]` (memchr: a byte loop was a visible
/// share of `analyze`'s time).
private func nextNewline(in buffer: [UInt8], from: Int, to: Int) -> Int? {
    guard from < to else { return nil }
    return buffer.withUnsafeBufferPointer { b -> Int? in
        guard let hit = memchr(b.baseAddress! + from, 10, to - from) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(b.baseAddress!)
    }
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
    /// Fixed-size storage; `count` bytes of it are pending. Written through a pointer:
    /// `analyze` writes two small pieces per term, where Array appends cost more than the copy.
    private var storage = [UInt8](repeating: 0, count: 1 << 16)
    private var count = 0

    init() {}

    mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { write(bytes: $0) }
    }

    mutating func write(byte: UInt8) {
        if count == storage.count { flush() }
        storage[count] = byte
        count += 1
    }

    mutating func write(bytes src: UnsafeBufferPointer<UInt8>) {
        guard let from = src.baseAddress, !src.isEmpty else { return }
        if count + src.count > storage.count {
            flush()
            if src.count > storage.count {
                writeAll(src)
                return
            }
        }
        let at = count
        storage.withUnsafeMutableBytes { dst in
            (dst.baseAddress! + at).copyMemory(from: from, byteCount: src.count)
        }
        count += src.count
    }

    mutating func flush() {
        let n = count
        storage.withUnsafeBufferPointer { writeAll(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        count = 0
    }

    private func writeAll(_ src: UnsafeBufferPointer<UInt8>) {
        guard let base = src.baseAddress else { return }
        var off = 0
        while off < src.count {
            let n = Glibc.write(1, base + off, src.count - off)
            if n <= 0 { break }
            off += n
        }
    }
}
