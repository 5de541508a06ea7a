/// Handlers for the small xlsx parts that describe the workbook (all read fully in memory).

/// `xl/workbook.xml`: the first sheet and the date system.
final class XLSXWorkbookHandler: XMLEventHandler {
    private(set) var firstSheetName: String?
    private(set) var firstSheetRelationship: String?
    private(set) var date1904 = false
    private var sawSheet = false
    var isDone: Bool { sawSheet }

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) {
        switch name.local {
        case "workbookPr":
            let value = attributes.value("date1904") ?? ""
            date1904 = value == "1" || value == "true"
        case "sheet":
            // workbookPr comes before <sheets>, so the first sheet is all we still need.
            sawSheet = true
            firstSheetName = attributes.value("name")
            firstSheetRelationship = attributes.first {
                $0.name.local == "id" && $0.name.namespace.hasSuffix("relationships")
            }?.value
        default:
            break
        }
    }

    func endElement(_ name: XMLName) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// A `_rels/*.rels` part: relationship id → target, and type → first target.
final class XLSXRelationshipsHandler: XMLEventHandler {
    private(set) var targetById: [String: String] = [:]
    private(set) var targetByTypeSuffix: [String: String] = [:]
    let isDone = false

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) {
        guard name.local == "Relationship", let id = attributes.value("Id"), let target = attributes.value("Target") else { return }
        if attributes.value("TargetMode") == "External" { return }
        targetById[id] = target
        if let type = attributes.value("Type"), let slash = type.lastIndex(of: "/") {
            let suffix = String(type[type.index(after: slash)...])
            if targetByTypeSuffix[suffix] == nil { targetByTypeSuffix[suffix] = target }
        }
    }

    func endElement(_ name: XMLName) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}

    /// A part name inside the zip from a target relative to `xl/` (or absolute with a leading "/").
    static func resolve(_ target: String, base: String = "xl/") -> String {
        let path = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}

/// Collects the text of `<t>` elements, skipping phonetic runs (`<rPh>`), for shared
/// strings (`<si>`) and inline strings (`<is>`), which have the same content model.
struct RichTextCollector {
    private(set) var bytes: [UInt8] = []
    private var inText = false
    private var phoneticDepth = 0

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        inText = false
        phoneticDepth = 0
    }

    mutating func start(_ local: String) {
        if local == "rPh" { phoneticDepth += 1 } else if local == "t" && phoneticDepth == 0 { inText = true }
    }

    mutating func end(_ local: String) {
        if local == "rPh" { phoneticDepth -= 1 } else if local == "t" { inText = false }
    }

    mutating func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inText { bytes.append(contentsOf: text) }
    }

    /// The text, with Excel's `_xHHHH_` escapes (ECMA-376 ST_Xstring: characters XML cannot
    /// carry, such as control characters, and `_x005F_` for a literal underscore) decoded.
    var string: String { Self.decodeEscapes(bytes) }

    static func decodeEscapes(_ bytes: [UInt8]) -> String {
        func hex(_ b: UInt8) -> UInt32? {
            switch b {
            case 0x30...0x39: UInt32(b - 0x30)
            case 0x41...0x46: UInt32(b - 0x41 + 10)
            case 0x61...0x66: UInt32(b - 0x61 + 10)
            default: nil
            }
        }
        // Fast path: nothing to decode.
        guard bytes.count >= 7, bytes.contains(UInt8(ascii: "_")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "_"), k + 6 < bytes.count, bytes[k + 1] == UInt8(ascii: "x"), bytes[k + 6] == UInt8(ascii: "_"),
               let a = hex(bytes[k + 2]), let b = hex(bytes[k + 3]), let c = hex(bytes[k + 4]), let d = hex(bytes[k + 5]),
               let scalar = Unicode.Scalar(a << 12 | b << 8 | c << 4 | d) {
                out.append(contentsOf: String(Character(scalar)).utf8)
                k += 7
            } else {
                out.append(bytes[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// `xl/sharedStrings.xml`.
final class XLSXSharedStringsHandler: XMLEventHandler {
    private(set) var strings: [String] = []
    private var collector = RichTextCollector()
    private var inItem = false
    let isDone = false

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) {
        if name.local == "si" {
            inItem = true
            collector.reset()
        } else if inItem {
            collector.start(name.local)
        }
    }

    func endElement(_ name: XMLName) {
        if name.local == "si" {
            inItem = false
            strings.append(collector.string)
        } else if inItem {
            collector.end(name.local)
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inItem { collector.characters(text) }
    }
}

/// `xl/styles.xml`: which cell style indexes (`s` attribute) display a date.
final class XLSXStylesHandler: XMLEventHandler {
    private var customFormats: [Int: String] = [:]
    private var formatIdByStyle: [Int] = []
    private var inCellXfs = false
    let isDone = false

    /// Style indexes whose number format shows a date.
    var dateStyles: Set<Int> {
        var result = Set<Int>()
        for (style, formatId) in formatIdByStyle.enumerated() where Self.isDateFormat(id: formatId, code: customFormats[formatId]) {
            result.insert(style)
        }
        return result
    }

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) {
        switch name.local {
        case "numFmt":
            if let id = attributes.value("numFmtId").flatMap({ Int($0) }), let code = attributes.value("formatCode") {
                customFormats[id] = code
            }
        case "cellXfs":
            inCellXfs = true
        case "xf" where inCellXfs:
            // <xf> also appears in cellStyleXfs; only the cellXfs ones are cell `s` indexes.
            formatIdByStyle.append(attributes.value("numFmtId").flatMap { Int($0) } ?? 0)
        default:
            break
        }
    }

    func endElement(_ name: XMLName) {
        if name.local == "cellXfs" { inCellXfs = false }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {}

    /// Built-in date formats are ids 14–22 and 45–47; a custom code is a date when, outside
    /// quoted text, `[…]` sections and escaped characters, it has a day or year code, or a
    /// month code that is not minutes (i.e. no hour or second code in the format).
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) { return true }
        guard let code else { return false }
        var inQuotes = false, inBrackets = false, escaped = false
        var hasDay = false, hasMonthOrMinute = false, hasTime = false
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuotes { if ch == "\"" { inQuotes = false }; continue }
            if inBrackets { if ch == "]" { inBrackets = false }; continue }
            switch ch {
            case "\"": inQuotes = true
            case "[": inBrackets = true
            // "\x" escapes x; "_x" pads with the width of x; "*x" fills with x.
            case "\\", "_", "*": escaped = true
            case "d", "y": hasDay = true
            case "m": hasMonthOrMinute = true
            case "h", "s": hasTime = true
            default: break
            }
        }
        return hasDay || (hasMonthOrMinute && !hasTime)
    }
}
