import ChatbotErrors
/// Reads the first table of an OpenDocument spreadsheet.
enum ODSReader {
    static let mimeType = "application/vnd.oasis.opendocument.spreadsheet"

    static func read(_ members: MemberReader) throws(ChatbotError) -> Sheet {
        let archive = members.archive
        if let entry = archive.entry(named: "mimetype") {
            let mime = String(decoding: try members.read(entry), as: UTF8.self).trimmed
            // Another OpenDocument kind (text, presentation…) is not a spreadsheet.
            if mime.hasPrefix("application/vnd.oasis.opendocument.") && !mime.hasPrefix(mimeType) {
                throw .unreadable("not_a_workbook", "c'est un document OpenDocument qui n'est pas un classeur (\(mime))")
            }
        }
        // An encrypted package has its parts encrypted: inflating content.xml would only
        // report garbage, so the manifest is checked first.
        if let entry = archive.entry(named: "META-INF/manifest.xml") {
            let manifest = ODSManifestHandler()
            try XLSXReader.parse(members, entry, manifest)
            if manifest.encrypted { throw .encryptedODS }
        }
        guard let content = archive.entry(named: "content.xml") else {
            throw .unreadable("not_a_workbook", "l'archive ne contient pas de classeur LibreOffice (content.xml manquant)")
        }
        let handler = ODSContentHandler(builder: SheetBuilder(limits: members.limits))
        try XLSXReader.stream(members, content, handler)
        guard handler.foundTable else { throw .sheetMissing }
        return handler.builder.finish(name: handler.tableName)
    }
}

/// OpenDocument namespace URIs (prefixes are free to vary, URIs are not).
enum ODFNamespace {
    static let office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    static let table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    static let text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    static let manifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    /// LibreOffice's extension namespace, which repeats `value-type` in ODF 1.2+ files.
    static let calcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
}

/// `META-INF/manifest.xml`: any `manifest:encryption-data` means encrypted parts.
final class ODSManifestHandler: XMLEventHandler {
    private(set) var encrypted = false
    var isDone: Bool { encrypted }

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) {
        if name.local == "encryption-data" && name.namespace == ODFNamespace.manifest { encrypted = true }
    }

    func endElement(_ name: XMLName) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// Streams the first `table:table` of `office:spreadsheet` in `content.xml`.
///
/// Repeated empty rows and cells only advance counters, so LibreOffice's usual
/// "1 048 570 empty rows" costs nothing; repeated non-empty ones are materialised
/// under the builder's limits.
final class ODSContentHandler: XMLEventHandler {
    private(set) var builder: SheetBuilder
    private(set) var foundTable = false
    private(set) var tableName = ""
    private var inSpreadsheet = false
    /// Depth of `table:table` elements: only rows of the outermost first table count.
    private var tableDepth = 0
    private var done = false
    var isDone: Bool { done }

    private var rowNumber = 1
    private var rowRepeat = 1
    private var row = RowCells()
    private var inRow = false
    private var column = 0

    // The cell being read.
    private var inCell = false
    private var cellRepeat = 1
    private var valueType: String?
    private var attributes: [XMLAttribute] = []
    /// The cell's paragraphs, already joined with "\n".
    private var textBytes: [UInt8] = []
    private var paragraphCount = 0
    private var paragraphDepth = 0
    /// Annotations (comments) contain their own paragraphs, which are not the cell's text.
    private var ignoredDepth = 0

    /// A cell's text is capped so `<text:s text:c="1000000000"/>` or millions of empty
    /// paragraphs cannot allocate gigabytes; the excess is dropped.
    static let maxCellTextBytes = 1 << 20

    init(builder: SheetBuilder) { self.builder = builder }

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) throws(ChatbotError) {
        if inCell {
            cellContentStart(name, attributes)
            return
        }
        switch (name.namespace, name.local) {
        case (ODFNamespace.office, "spreadsheet"):
            inSpreadsheet = true
        case (ODFNamespace.table, "table") where inSpreadsheet:
            tableDepth += 1
            if tableDepth == 1 {
                foundTable = true
                tableName = attributes.value("name", namespace: ODFNamespace.table) ?? ""
            }
        case (ODFNamespace.table, "table-row") where tableDepth == 1:
            inRow = true
            column = 0
            rowRepeat = try repeatCount(attributes, "number-rows-repeated")
        case (ODFNamespace.table, "table-cell"), (ODFNamespace.table, "covered-table-cell"):
            guard inRow && tableDepth == 1 else { return }
            inCell = true
            cellRepeat = try repeatCount(attributes, "number-columns-repeated")
            valueType = attributes.value("value-type", namespace: ODFNamespace.office)
                ?? attributes.value("value-type", namespace: ODFNamespace.calcext)
            self.attributes = attributes
            textBytes = []
            paragraphCount = 0
            paragraphDepth = 0
            ignoredDepth = 0
        default:
            break
        }
    }

    func endElement(_ name: XMLName) throws(ChatbotError) {
        if inCell && !(name.namespace == ODFNamespace.table && (name.local == "table-cell" || name.local == "covered-table-cell")) {
            cellContentEnd(name)
            return
        }
        switch (name.namespace, name.local) {
        case (ODFNamespace.table, "table-cell"), (ODFNamespace.table, "covered-table-cell"):
            guard inCell else { return }
            inCell = false
            if let value = cellValue() {
                let limit = builder.limits.maxColumns
                guard column < limit, cellRepeat <= limit - column else { throw .tooManyColumns(limit) }
                for offset in 0..<cellRepeat { row.set(column + offset, value) }
            }
            column = min(column + cellRepeat, Int.max / 2)
        case (ODFNamespace.table, "table-row") where inRow:
            inRow = false
            try builder.append(number: rowNumber, cells: row, repeatCount: rowRepeat)
            row = RowCells()
            rowNumber = min(rowNumber + rowRepeat, Int.max / 2)
        case (ODFNamespace.table, "table") where tableDepth > 0:
            tableDepth -= 1
            if tableDepth == 0 { done = true }
        default:
            break
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        guard inCell, paragraphDepth > 0, ignoredDepth == 0 else { return }
        appendText(text)
    }

    private func cellContentStart(_ name: XMLName, _ attributes: [XMLAttribute]) {
        if ignoredDepth > 0 { ignoredDepth += 1; return }
        if name.namespace == ODFNamespace.office && name.local == "annotation" { ignoredDepth = 1; return }
        guard name.namespace == ODFNamespace.text else { return }
        switch name.local {
        case "p", "h":
            if paragraphDepth == 0 {
                if paragraphCount > 0 { appendRepeated(UInt8(ascii: "\n"), 1) }
                paragraphCount += 1
            }
            paragraphDepth += 1
        case "s" where paragraphDepth > 0:
            let count = parsePositiveInt(attributes.value("c", namespace: ODFNamespace.text)) ?? 1
            appendRepeated(UInt8(ascii: " "), count)
        case "tab" where paragraphDepth > 0:
            appendRepeated(UInt8(ascii: "\t"), 1)
        case "line-break" where paragraphDepth > 0:
            appendRepeated(UInt8(ascii: "\n"), 1)
        default:
            break
        }
    }

    private func cellContentEnd(_ name: XMLName) {
        if ignoredDepth > 0 { ignoredDepth -= 1; return }
        if name.namespace == ODFNamespace.text && (name.local == "p" || name.local == "h") && paragraphDepth > 0 {
            paragraphDepth -= 1
        }
    }

    private func appendText(_ text: UnsafeBufferPointer<UInt8>) {
        let room = Self.maxCellTextBytes - textBytes.count
        textBytes.append(contentsOf: text.prefix(max(0, room)))
    }

    private func appendRepeated(_ byte: UInt8, _ count: Int) {
        let room = Self.maxCellTextBytes - textBytes.count
        textBytes.append(contentsOf: repeatElement(byte, count: max(0, min(count, room))))
    }

    private var text: String? {
        paragraphCount == 0 ? nil : String(decoding: textBytes, as: UTF8.self)
    }

    private func officeValue(_ local: String) -> String? {
        attributes.value(local, namespace: ODFNamespace.office)
    }

    /// The cell's value by its `office:value-type`; a value that cannot be read falls back to
    /// the displayed text, which is what the user sees in LibreOffice anyway.
    private func cellValue() -> CellValue? {
        switch valueType {
        case "float", "percentage", "currency":
            if let number = officeValue("value").flatMap({ Double($0.trimmed) }), number.isFinite {
                return .number(number)
            }
        case "date":
            if let day = officeValue("date-value").flatMap({ CalendarDay.fromISO($0.trimmed) }) {
                return .date(year: day.year, month: day.month, day: day.day)
            }
        case "boolean":
            switch officeValue("boolean-value")?.trimmed {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: break
            }
        case "string":
            return .text(text ?? officeValue("string-value") ?? "")
        default:
            // "time" keeps its displayed text; no type means an empty cell unless it has text.
            break
        }
        return text.map { .text($0) }
    }

    private func repeatCount(_ attributes: [XMLAttribute], _ local: String) throws(ChatbotError) -> Int {
        guard let text = attributes.value(local, namespace: ODFNamespace.table) else { return 1 }
        guard let count = parsePositiveInt(text.trimmed) else {
            throw .damaged("bad_value", "nombre de répétitions invalide (« \(text.prefix(40)) »)")
        }
        return count
    }
}
