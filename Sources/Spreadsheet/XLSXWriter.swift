import ChatbotErrors
/// Writes one sheet of cells as an `.xlsx` workbook (Office Open XML) that Excel,
/// LibreOffice and this module's reader open.
///
/// Text cells are inline strings (`t="inlineStr"`, no shared-string table), with
/// `xml:space="preserve"` when spaces or line breaks must survive; characters XML 1.0
/// cannot carry (control characters other than tab and line feed, U+FFFE, U+FFFF) are
/// written `_xHHHH_` as Excel does, a literal `_xHHHH_` as `_x005F_xHHHH_`, and a carriage
/// return as `&#13;`. Dates are serial numbers (1900 system) with a `DD/MM/YYYY` format;
/// days before 1900-01-01, which Excel cannot show as dates, are written as that text.
/// The output is deterministic: the same cells always give the same bytes.
public enum XLSXWriter {
    /// The rows of the sheet, first row first; `rows[r][c]` is the cell of row `r + 1`,
    /// column `c` (A = 0), nil when empty. Rows without any cell are left out.
    public static func write(rows: [[CellValue?]], sheetName: String = "Feuil1",
                             columnWidths: [Double] = []) throws(ChatbotError) -> [UInt8] {
        let sheetRows = rows.enumerated().map { r, cells in
            SheetRow(number: r + 1, cells: cells.enumerated().compactMap { c, value in value.map { SheetCell(column: c, value: $0) } })
        }
        return try write(Sheet(name: sheetName, rows: sheetRows), columnWidths: columnWidths)
    }

    /// A sheet as the reader returns it: rows by number, cells by column. Rows must be in
    /// ascending number and cells in ascending column (as `Sheet` promises).
    public static func write(_ sheet: Sheet, columnWidths: [Double] = []) throws(ChatbotError) -> [UInt8] {
        var zip = ZipWriter()
        try zip.add("[Content_Types].xml", Array(contentTypes.utf8))
        try zip.add("_rels/.rels", Array(packageRelationships.utf8))
        try zip.add("xl/workbook.xml", Array(workbook(sheetName: sheet.name).utf8))
        try zip.add("xl/_rels/workbook.xml.rels", Array(workbookRelationships.utf8))
        try zip.add("xl/styles.xml", Array(styles.utf8))
        try zip.add("xl/worksheets/sheet1.xml", worksheet(sheet, columnWidths: columnWidths))
        return zip.finish()
    }

    // MARK: Parts

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes = declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let packageRelationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(relNS)/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static let workbookRelationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(relNS)/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="\(relNS)/styles" Target="styles.xml"/>\
        </Relationships>
        """

    /// Style 0: the default; style 1: dates shown `DD/MM/YYYY` (custom number format 164).
    static let styles = declaration + """
        <styleSheet xmlns="\(mainNS)">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>\
        <fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    static func workbook(sheetName: String) -> String {
        // Excel refuses sheet names over 31 characters or with []:*?/\.
        var name = String(sheetName.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        if name.isEmpty { name = "Feuil1" }
        var out = declaration
        out += "<workbook xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\"><sheets>"
        out += "<sheet name=\"\(escaped(name, attribute: true))\" sheetId=\"1\" r:id=\"rId1\"/>"
        out += "</sheets></workbook>"
        return out
    }

    static func worksheet(_ sheet: Sheet, columnWidths: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + sheet.rows.count * 128)
        func put(_ s: String) { out.append(contentsOf: s.utf8) }
        put(declaration)
        put("<worksheet xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\">")
        let lastRow = sheet.rows.last?.number ?? 1
        let lastColumn = sheet.rows.map { $0.cells.last?.column ?? 0 }.max() ?? 0
        put("<dimension ref=\"A1:\(CellReference.letters(of: lastColumn))\(lastRow)\"/>")
        if !columnWidths.isEmpty {
            put("<cols>")
            for (k, width) in columnWidths.enumerated() where width > 0 && width.isFinite {
                put("<col min=\"\(k + 1)\" max=\"\(k + 1)\" width=\"\(width)\" customWidth=\"1\"/>")
            }
            put("</cols>")
        }
        put("<sheetData>")
        for row in sheet.rows where !row.cells.isEmpty {
            put("<row r=\"\(row.number)\">")
            for cell in row.cells {
                let ref = CellReference.letters(of: cell.column) + String(row.number)
                switch cell.value {
                case .text(let text):
                    let preserve = text.first.map(isXMLSpace) == true || text.last.map(isXMLSpace) == true
                        || text.contains("\n") || text.contains("\r") || text.contains("  ")
                    put("<c r=\"\(ref)\" t=\"inlineStr\"><is><t\(preserve ? " xml:space=\"preserve\"" : "")>")
                    put(escaped(text, attribute: false))
                    put("</t></is></c>")
                case .number(let value):
                    // NaN and infinities cannot be stored in a cell; they become text.
                    if value.isFinite {
                        put("<c r=\"\(ref)\"><v>\(CellValue.number(value).displayText)</v></c>")
                    } else {
                        put("<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(value)</t></is></c>")
                    }
                case .date(let year, let month, let day):
                    if let serial = excelSerial(year: year, month: month, day: day) {
                        put("<c r=\"\(ref)\" s=\"1\"><v>\(serial)</v></c>")
                    } else {
                        put("<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(cell.value.displayText)</t></is></c>")
                    }
                case .boolean(let value):
                    put("<c r=\"\(ref)\" t=\"b\"><v>\(value ? 1 : 0)</v></c>")
                }
            }
            put("</row>")
        }
        put("</sheetData></worksheet>")
        return out
    }

    /// The 1900-system serial number of a day (Excel counts a 29/02/1900 that never was, so
    /// days from 1900-03-01 on are one more than a plain count); nil outside 1900–9999.
    static func excelSerial(year: Int, month: Int, day: Int) -> Int? {
        guard (1900...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDay.daysIn(month: month, year: year) else { return nil }
        let days = CalendarDay.daysSinceEpoch(year: year, month: month, day: day)
        if days >= CalendarDay.daysSinceEpoch(year: 1900, month: 3, day: 1) {
            return days - CalendarDay.daysSinceEpoch(year: 1899, month: 12, day: 30)
        }
        return days - CalendarDay.daysSinceEpoch(year: 1899, month: 12, day: 31)
    }

    private static func isXMLSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    /// XML text (or attribute value), with Excel's `_xHHHH_` escapes for what XML cannot hold.
    static func escaped(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        var k = 0
        while k < scalars.count {
            let s = scalars[k]
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "\t", "\n":
                if attribute { out += s == "\t" ? "&#9;" : "&#10;" } else { out.unicodeScalars.append(s) }
            case "_":
                // A literal "_xHHHH_" would be read back as an escape: escape its underscore.
                if isEscapePattern(scalars, at: k) { out += "_x005F_" } else { out += "_" }
            default:
                if s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF {
                    out += "_x" + hex4(s.value) + "_"
                } else {
                    out.unicodeScalars.append(s)
                }
            }
            k += 1
        }
        return out
    }

    /// Whether `scalars[k...]` starts with `_xHHHH_` (four hexadecimal digits).
    static func isEscapePattern(_ scalars: [Unicode.Scalar], at k: Int) -> Bool {
        guard k + 6 < scalars.count, scalars[k] == "_", scalars[k + 1] == "x", scalars[k + 6] == "_" else { return false }
        return scalars[k + 2...k + 5].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    private static func hex4(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(v >> 12 & 15)], digits[Int(v >> 8 & 15)], digits[Int(v >> 4 & 15)], digits[Int(v & 15)]])
    }
}
