import ChatbotErrors
import XCTest
@testable import Spreadsheet

final class SheetModelTests: XCTestCase {
    func testDisplayText() {
        XCTAssertEqual(CellValue.text(" a\nb ").displayText, " a\nb ")
        XCTAssertEqual(CellValue.number(12345).displayText, "12345")
        XCTAssertEqual(CellValue.number(-7).displayText, "-7")
        XCTAssertEqual(CellValue.number(-0.0).displayText, "0")
        XCTAssertEqual(CellValue.number(0.1).displayText, "0.1")
        XCTAssertEqual(CellValue.number(1.0 / 3).displayText, "0.3333333333333333")
        XCTAssertEqual(CellValue.number(1e-7).displayText, "1e-07")
        XCTAssertEqual(CellValue.number(9_007_199_254_740_991).displayText, "9007199254740991")
        XCTAssertEqual(CellValue.number(1e20).displayText, "1e+20")
        XCTAssertEqual(CellValue.date(year: 2027, month: 1, day: 5).displayText, "05/01/2027")
        XCTAssertEqual(CellValue.date(year: 999, month: 12, day: 31).displayText, "31/12/0999")
        XCTAssertEqual(CellValue.boolean(true).displayText, "VRAI")
        XCTAssertEqual(CellValue.boolean(false).displayText, "FAUX")
    }

    func testValueAtColumn() {
        let row = SheetRow(number: 1, cells: [SheetCell(column: 0, value: .number(1)), SheetCell(column: 5, value: .text("f"))])
        XCTAssertEqual(row.value(at: 0), .number(1))
        XCTAssertEqual(row.value(at: 5), .text("f"))
        XCTAssertNil(row.value(at: 3))
        XCTAssertNil(row.value(at: 6))
    }

    func testCellReferences() {
        XCTAssertEqual(CellReference.column(of: "A1"), 0)
        XCTAssertEqual(CellReference.column(of: "Z9"), 25)
        XCTAssertEqual(CellReference.column(of: "AA1"), 26)
        XCTAssertEqual(CellReference.column(of: "AB12"), 27)
        XCTAssertEqual(CellReference.column(of: "XFD1048576"), 16383)
        XCTAssertEqual(CellReference.column(of: "$B$3"), 1)
        XCTAssertNil(CellReference.column(of: "12"))
        XCTAssertNil(CellReference.column(of: ""))
        XCTAssertNil(CellReference.column(of: "ZZZZZZZZZZZZZZZZ1"))
        XCTAssertEqual(CellReference.letters(of: 27), "AB")
        XCTAssertEqual(CellReference.letters(of: 16383), "XFD")
    }

    func testCalendar() {
        XCTAssertEqual(CalendarDay.fromISO("2027-01-31")?.day, 31)
        XCTAssertNotNil(CalendarDay.fromISO("2024-02-29T10:00:00"))
        XCTAssertNil(CalendarDay.fromISO("2023-02-29"))
        XCTAssertNil(CalendarDay.fromISO("2027-13-01"))
        XCTAssertNil(CalendarDay.fromISO("31/01/2027"))
        XCTAssertNil(CalendarDay.fromISO("2027-01-31X"))
        XCTAssertNil(CalendarDay.fromExcelSerial(0, date1904: false))
        XCTAssertNil(CalendarDay.fromExcelSerial(.nan, date1904: false))
        XCTAssertNil(CalendarDay.fromExcelSerial(3e6, date1904: false))
        for days in [-800_000, -1, 0, 1, 59, 60, 19_000, 2_000_000] {
            let day = CalendarDay.civil(daysSinceEpoch: days)
            XCTAssertEqual(CalendarDay.daysSinceEpoch(year: day.year, month: day.month, day: day.day), days)
        }
    }

    func testFormatDetection() throws {
        XCTAssertEqual(SpreadsheetFormat.detect(try fixture("basic.xlsx")), .xlsx)
        XCTAssertEqual(SpreadsheetFormat.detect(try fixture("basic.ods")), .ods)
        XCTAssertEqual(SpreadsheetFormat.detect(try fixture("encrypted.ods")), .ods)
        XCTAssertNil(SpreadsheetFormat.detect(try fixture("truncated.xlsx")))
        XCTAssertNil(SpreadsheetFormat.detect(Array("bonjour".utf8)))
        XCTAssertNil(SpreadsheetFormat.detect(storedZip([("a.txt", [1, 2, 3])])))
    }

    func testErrorDescription() {
        let error = ChatbotError.tooManyRows(100_000)
        XCTAssertEqual(error.message, "La feuille contient trop de lignes remplies (plus de 100 000).")
        XCTAssertEqual(error.description, "La feuille contient trop de lignes remplies (plus de 100 000). [too_many_rows]")
    }
}
