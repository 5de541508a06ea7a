import XCTest
@testable import Spreadsheet

final class XLSXReaderTests: XCTestCase {
    func testOpenpyxlWorkbook() throws {
        let sheet = try readFixture("basic.xlsx")
        XCTAssertEqual(sheet.name, "FAQ")
        XCTAssertEqual(sheet.rows.map(\.number), [1, 2, 3, 5])
        XCTAssertEqual(sheet.rows[0].cells.map(\.column), [0, 1, 2, 3, 4, 6, 7], "F is empty")
        XCTAssertEqual(sheet.value(1, "B"), .text("Catégorie"))
        XCTAssertEqual(sheet.value(2, "A"), .number(12345))
        XCTAssertEqual(sheet.value(2, "A")?.displayText, "12345")
        XCTAssertEqual(sheet.value(2, "E"), .text("Sur le portail RH.\nPuis validez."))
        XCTAssertNil(sheet.value(2, "F"))
        XCTAssertEqual(sheet.value(2, "H"), .date(year: 2027, month: 1, day: 31))
        XCTAssertEqual(sheet.value(2, "H")?.displayText, "31/01/2027")
        XCTAssertNil(sheet.value(3, "B"), "empty cell in the middle")
        XCTAssertEqual(sheet.value(3, "D"), .number(3))
        XCTAssertEqual(sheet.value(3, "D")?.displayText, "3")
        XCTAssertEqual(sheet.value(3, "E")?.displayText, "2.5")
        XCTAssertEqual(sheet.value(3, "G"), .boolean(true))
        XCTAssertEqual(sheet.value(3, "H"), .text("   "), "whitespace-only text is kept")
        XCTAssertEqual(sheet.rows[3].cells, [SheetCell(column: 2, value: .text("Élève à l'école ; où ?"))])
        XCTAssertFalse(sheet.rows.contains { $0.cells.contains { $0.value == .text("cette feuille ne doit pas être lue") } })
    }

    func testXlsxwriterSharedStringsFormulaAndFormats() throws {
        let sheet = try readFixture("xlsxwriter.xlsx")
        XCTAssertEqual(sheet.name, "Données")
        XCTAssertEqual(sheet.value(1, "A"), .text("texte"))
        XCTAssertEqual(sheet.value(1, "B"), .text("abcd"), "t=\"str\": cached formula result")
        XCTAssertEqual(sheet.value(1, "C"), .boolean(false))
        XCTAssertEqual(sheet.value(1, "C")?.displayText, "FAUX")
        XCTAssertEqual(sheet.value(1, "D")?.displayText, "0.1")
        XCTAssertEqual(sheet.value(2, "A"), .date(year: 2024, month: 2, day: 29))
        XCTAssertEqual(sheet.value(2, "B"), .number(0.5), "a time-only format is not a date")
        XCTAssertEqual(sheet.value(2, "C")?.displayText, "-42")
        XCTAssertEqual(sheet.value(2, "D"), .number(1e20))
        XCTAssertEqual(sheet.value(3, "A"), .text("Élève à l'école"))
        XCTAssertEqual(sheet.value(3, "B"), .text("ligne 1\nligne 2"))
        XCTAssertEqual(sheet.value(3, "C"), .text("début gras fin"), "rich runs joined")
        XCTAssertEqual(sheet.value(3, "D"), .text("Élève à l'école"))
    }

    func testInlineStringsNoReferencesAnd1904Dates() throws {
        let sheet = try readFixture("handmade_1904.xlsx")
        XCTAssertEqual(sheet.name, "Main", "first sheet, found through an absolute relationship target")
        XCTAssertEqual(sheet.rows.map(\.number), [1, 2, 5, 6])
        XCTAssertEqual(sheet.rows[0].cells, [
            SheetCell(column: 0, value: .text("plain")),
            SheetCell(column: 1, value: .text("rich ")),          // phonetic run ignored
            SheetCell(column: 2, value: .text("formule")),
        ])
        XCTAssertEqual(sheet.rows[1].cells, [
            // A: t="e" (#N/A) is skipped; D: <c/> has no value.
            SheetCell(column: 1, value: .boolean(true)),
            SheetCell(column: 2, value: .date(year: 2027, month: 1, day: 31)),
            SheetCell(column: 4, value: .date(year: 1904, month: 1, day: 1)),
        ])
        XCTAssertEqual(sheet.rows[2].cells, [
            SheetCell(column: 1, value: .date(year: 2029, month: 2, day: 1)),  // 45688.75 in 1904 system
            SheetCell(column: 2, value: .number(1.5)),   // [h]:mm:ss
            SheetCell(column: 3, value: .number(7)),     // "day" 0.00: d and y are quoted
            SheetCell(column: 4, value: .date(year: 1904, month: 1, day: 2)),  // builtin 14
        ])
        XCTAssertEqual(sheet.rows[3].cells, [
            SheetCell(column: 0, value: .text("  ")),
            SheetCell(column: 2, value: .text("")),
        ])
    }

    func test1900DateSystemAndLeapYearBug() throws {
        let sheet = try readFixture("dates_1900.xlsx")
        XCTAssertEqual(sheet.rows[0].cells.map(\.value.displayText),
                       ["01/01/1900", "28/02/1900", "29/02/1900", "01/03/1900", "31/01/2025", "31/12/9999"])
        XCTAssertEqual(sheet.rows[1].cells, [SheetCell(column: 27, value: .number(12345))])
    }

    func testRowsAndCellsWithoutReferencesAreSequential() throws {
        let data = Array("<row><c t=\"inlineStr\"><is><t>a</t></is></c><c/><c><v>2</v></c></row><row/><row><c><v>3</v></c></row>".utf8)
        let sheet = try SpreadsheetReader.read(bytes: minimalXLSX(sheetData: data))
        XCTAssertEqual(sheet.rows, [
            SheetRow(number: 1, cells: [SheetCell(column: 0, value: .text("a")), SheetCell(column: 2, value: .number(2))]),
            SheetRow(number: 3, cells: [SheetCell(column: 0, value: .number(3))]),
        ])
    }

    func testDateStyleDetection() {
        XCTAssertTrue(XLSXStylesHandler.isDateFormat(id: 14, code: nil))
        XCTAssertTrue(XLSXStylesHandler.isDateFormat(id: 22, code: nil))
        XCTAssertTrue(XLSXStylesHandler.isDateFormat(id: 45, code: nil))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 0, code: nil))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 49, code: nil))
        XCTAssertTrue(XLSXStylesHandler.isDateFormat(id: 164, code: "DD/MM/YYYY"))
        XCTAssertTrue(XLSXStylesHandler.isDateFormat(id: 164, code: "mmm-yy"))
        XCTAssertTrue(XLSXStylesHandler.isDateFormat(id: 164, code: "[$-40C]d mmmm yyyy;@"))
        XCTAssertTrue(XLSXStylesHandler.isDateFormat(id: 164, code: "mm"), "month alone")
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 164, code: "h:mm"))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 164, code: "[h]:mm:ss"))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 164, code: "\"day\" 0.00"))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 164, code: "0\\d"))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 164, code: "[Red]0.00"))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 164, code: "General"))
        XCTAssertFalse(XLSXStylesHandler.isDateFormat(id: 164, code: "# ##0,00 €"))
    }

    func testRelationshipTargets() {
        XCTAssertEqual(XLSXRelationshipsHandler.resolve("worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml")
        XCTAssertEqual(XLSXRelationshipsHandler.resolve("/xl/worksheets/a.xml"), "xl/worksheets/a.xml")
        XCTAssertEqual(XLSXRelationshipsHandler.resolve("./worksheets/../worksheets/b.xml"), "xl/worksheets/b.xml")
    }

    func testFallbackToSheet1WithoutRelationships() throws {
        // minimalXLSX has no rels and a <sheet> without r:id.
        let sheet = try SpreadsheetReader.read(bytes: minimalXLSX(sheetData: Array("<row r=\"2\"><c r=\"B2\"><v>1</v></c></row>".utf8)))
        XCTAssertEqual(sheet.name, "S")
        XCTAssertEqual(sheet.rows, [SheetRow(number: 2, cells: [SheetCell(column: 1, value: .number(1))])])
    }
}
