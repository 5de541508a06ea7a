import XCTest
@testable import Spreadsheet

final class ODSReaderTests: XCTestCase {
    func testOdfpyWorkbook() throws {
        let sheet = try readFixture("basic.ods")
        XCTAssertEqual(sheet.name, "Feuille FAQ")
        XCTAssertEqual(sheet.rows.map(\.number), [1, 2, 3, 6, 7], "rows 4-5 are repeated empty rows; 6-7 one repeated row")
        XCTAssertEqual(sheet.rows[0].cells.map(\.value.displayText), ["ID", "Question", "Nombre", "Expire le", "Booléen"])
        XCTAssertEqual(sheet.rows[1].cells, [
            SheetCell(column: 0, value: .text("conges")),
            SheetCell(column: 1, value: .text("Première ligne\nDeuxième ligne")),
            SheetCell(column: 2, value: .number(12345)),
            SheetCell(column: 3, value: .date(year: 2027, month: 1, day: 31)),
            SheetCell(column: 4, value: .boolean(true)),
        ])
        XCTAssertEqual(sheet.rows[1].cells[2].value.displayText, "12345")
        XCTAssertEqual(sheet.rows[2].cells, [
            SheetCell(column: 0, value: .text("a   b c\td\ngras lien")),
            SheetCell(column: 3, value: .number(2.5)),
            SheetCell(column: 4, value: .number(2.5)),
            SheetCell(column: 5, value: .number(2.5)),
            SheetCell(column: 6, value: .number(0.5)),        // percentage; the annotation is ignored
            SheetCell(column: 7, value: .text("13:30:00")),   // time keeps its displayed text
            SheetCell(column: 8, value: .date(year: 2027, month: 1, day: 31)),
            SheetCell(column: 9, value: .number(3)),          // currency
        ])
        let repeated = [SheetCell(column: 0, value: .text("répété")), SheetCell(column: 2, value: .text(""))]
        XCTAssertEqual(sheet.rows[3].cells, repeated)
        XCTAssertEqual(sheet.rows[4].cells, repeated)
    }

    func testRepeatedNonEmptyRowsCountTowardsTheLimit() throws {
        var limits = SpreadsheetLimits()
        limits.maxRows = 4
        XCTAssertEqual(errorCode(try fixture("basic.ods"), limits: limits)?.code, "too_many_rows")
        limits.maxRows = 5
        XCTAssertEqual(try readFixture("basic.ods", limits: limits).rows.count, 5)
    }

    func testCellLimit() throws {
        var limits = SpreadsheetLimits()
        limits.maxCells = 10
        XCTAssertEqual(errorCode(try fixture("basic.ods"), limits: limits)?.code, "too_many_cells")
    }

    func testRepeatedNonEmptyCellsBeyondColumnLimit() throws {
        let content = """
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <office:body><office:spreadsheet><table:table table:name="T"><table:table-row>\
            <table:table-cell table:number-columns-repeated="999"/>\
            <table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>\
            </table:table-row></table:table></office:spreadsheet></office:body></office:document-content>
            """
        let bytes = storedZip([("mimetype", Array(ODSReader.mimeType.utf8)), ("content.xml", Array(content.utf8))])
        XCTAssertEqual(SpreadsheetFormat.detect(bytes), .ods)
        XCTAssertEqual(errorCode(bytes)?.code, "too_many_columns")
    }

    func testOtherPrefixesAndNoSpreadsheet() throws {
        // Namespaces are matched by URI, not by prefix.
        let content = """
            <o:document-content xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:x="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <o:body><o:spreadsheet><t:table t:name="Autre préfixe"><t:table-row t:number-rows-repeated="3"/><t:table-row>\
            <t:table-cell o:value-type="string"><x:p>ok</x:p></t:table-cell></t:table-row></t:table></o:spreadsheet></o:body></o:document-content>
            """
        let sheet = try SpreadsheetReader.read(bytes: storedZip([("content.xml", Array(content.utf8))]))
        XCTAssertEqual(sheet, Sheet(name: "Autre préfixe", rows: [SheetRow(number: 4, cells: [SheetCell(column: 0, value: .text("ok"))])]))

        let text = storedZip([("mimetype", Array("application/vnd.oasis.opendocument.text".utf8)), ("content.xml", Array("<a/>".utf8))])
        XCTAssertEqual(errorCode(text)?.code, "not_a_workbook")
        let noTable = storedZip([("content.xml", Array("<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"/>".utf8))])
        XCTAssertEqual(errorCode(noTable)?.code, "sheet_missing")
    }
}
