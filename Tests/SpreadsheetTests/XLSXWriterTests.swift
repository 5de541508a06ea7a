import XCTest
@testable import Spreadsheet

/// The writer's output, read back by this module's reader.
final class XLSXWriterTests: XCTestCase {
    func roundTrip(_ rows: [[CellValue?]], file: StaticString = #filePath, line: UInt = #line) throws -> Sheet {
        let bytes = try XLSXWriter.write(rows: rows)
        XCTAssertEqual(SpreadsheetFormat.detect(bytes), .xlsx, file: file, line: line)
        return try SpreadsheetReader.read(bytes: bytes)
    }

    func testTextNumbersBooleansAndDatesReadBackIdentically() throws {
        let rows: [[CellValue?]] = [
            [.text("ID"), .text("Catégorie"), .text("Question"), nil, .text("Réponse(s)")],
            [.text("conges"), .text("Congés"), .text("Comment poser un congé ?"), .number(12345), .text("Sur le portail RH.")],
            [nil, nil, nil, .number(-0.25), .date(year: 2099, month: 12, day: 31), .boolean(true), .boolean(false)],
        ]
        let sheet = try roundTrip(rows)
        XCTAssertEqual(sheet.name, "Feuil1")
        XCTAssertEqual(sheet.rows.map(\.number), [1, 2, 3])
        XCTAssertEqual(sheet.rows[0].cells.map(\.column), [0, 1, 2, 4])
        for (r, row) in sheet.rows.enumerated() {
            for cell in row.cells { XCTAssertEqual(cell.value, rows[r][cell.column]) }
            XCTAssertEqual(row.cells.count, rows[r].compactMap { $0 }.count)
        }
    }

    func testEscapingLineBreaksAndControlCharacters() throws {
        let texts = [
            "a < b && c > d \"quoted\" 'single'",
            "  leading and trailing spaces  ",
            "line one\nline two\n\nline four",
            "windows\r\nline end",
            "tab\there",
            "bell \u{07} nul \u{00} escape \u{1B} end",
            "literal _x0041_ stays, _x005F_ too, _xZZZZ_ and _x12_",
            "emoji 😀 and accents éàç, œ",
            "noncharacter \u{FFFE}",
            "]]> cdata end",
        ]
        let sheet = try roundTrip(texts.map { [.text($0)] })
        XCTAssertEqual(sheet.rows.map { $0.cells[0].value }, texts.map { .text($0) })
    }

    func testDatesAroundExcelsLeapYearBug() throws {
        let days = [(1900, 1, 1), (1900, 2, 28), (1900, 3, 1), (1970, 1, 1), (2024, 2, 29), (9999, 12, 31)]
        let sheet = try roundTrip(days.map { [.date(year: $0.0, month: $0.1, day: $0.2)] })
        XCTAssertEqual(sheet.rows.map { $0.cells[0].value }, days.map { .date(year: $0.0, month: $0.1, day: $0.2) })
        XCTAssertEqual(XLSXWriter.excelSerial(year: 1900, month: 1, day: 1), 1)
        XCTAssertEqual(XLSXWriter.excelSerial(year: 1900, month: 3, day: 1), 61)
        XCTAssertEqual(XLSXWriter.excelSerial(year: 2027, month: 12, day: 31), 46752)
        // A day Excel cannot show as a date is written as its text.
        let old = try roundTrip([[.date(year: 1850, month: 7, day: 14)]])
        XCTAssertEqual(old.rows[0].cells[0].value, .text("14/07/1850"))
    }

    func testEmptyCellsRowsAndSheet() throws {
        let sheet = try roundTrip([[nil, .text("")], [], [nil, nil, .text("x")], [nil]])
        // An empty string is still a cell (a text cell that is empty), empty rows are left out.
        XCTAssertEqual(sheet.rows.map(\.number), [1, 3])
        XCTAssertEqual(sheet.rows[0].cells, [SheetCell(column: 1, value: .text(""))])
        XCTAssertEqual(sheet.rows[1].cells, [SheetCell(column: 2, value: .text("x"))])
        let empty = try roundTrip([])
        XCTAssertTrue(empty.rows.isEmpty)
    }

    func testSheetNameAndDeterminism() throws {
        let a = try XLSXWriter.write(rows: [[.text("x")]], sheetName: "Base & FAQ")
        let b = try XLSXWriter.write(rows: [[.text("x")]], sheetName: "Base & FAQ")
        XCTAssertEqual(a, b)
        XCTAssertEqual(try SpreadsheetReader.read(bytes: a).name, "Base & FAQ")
    }

    func testTheArchiveHasTheOfficeOpenXMLParts() throws {
        let bytes = try XLSXWriter.write(rows: [[.text("x")]])
        let archive = try ZipArchive(bytes: bytes)
        XCTAssertEqual(archive.entries.map(\.name), ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                                                      "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"])
        XCTAssertTrue(archive.entries.allSatisfy { $0.method == 8 })
    }

    func testLargeSheet() throws {
        var rows: [[CellValue?]] = []
        for r in 0..<5_000 {
            rows.append([.text("item_\(r)"), .text("Catégorie \(r % 17)"), .text("Question numéro \(r) ?"), nil,
                         .text("Réponse \(r)\nsur deux lignes"), nil, .text("synonyme \(r); autre \(r)"),
                         r % 10 == 0 ? .date(year: 2030, month: 1 + r % 12, day: 1 + r % 28) : nil])
        }
        let start = Date()
        let bytes = try XLSXWriter.write(rows: rows)
        let written = Date().timeIntervalSince(start)
        let sheet = try SpreadsheetReader.read(bytes: bytes)
        print("5,000 rows: \(bytes.count) bytes, written in \(written) s")
        XCTAssertEqual(sheet.rows.count, 5_000)
        for (r, row) in sheet.rows.enumerated() {
            XCTAssertEqual(row.number, r + 1)
            XCTAssertEqual(row.cells.map(\.value), rows[r].compactMap { $0 })
        }
        XCTAssertLessThan(bytes.count, 1_000_000)
    }
}
