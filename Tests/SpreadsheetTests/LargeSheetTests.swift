import XCTest
@testable import Spreadsheet

final class LargeSheetTests: XCTestCase {
    /// A 1,000,000-row sheet (26 MB of XML, stored uncompressed) is refused after
    /// maxRows + 1 rows, without parsing the rest.
    func testMillionRowsAreRefusedQuickly() throws {
        let row = Array("<row><c><v>1</v></c></row>".utf8)
        var data: [UInt8] = []
        data.reserveCapacity(row.count * 1_000_000)
        for _ in 0..<1_000_000 { data.append(contentsOf: row) }
        let bytes = minimalXLSX(sheetData: data)
        XCTAssertGreaterThan(bytes.count, 26_000_000)

        let start = Date()
        let error = errorCode(bytes)
        let elapsed = Date().timeIntervalSince(start)
        print("1,000,000-row sheet refused in \(elapsed) s")
        XCTAssertEqual(error?.code, "too_many_rows")
        // Tests/sanitizers/run.sh stretches time bounds (debug build, 2-15x slower sanitizers).
        let scale = ProcessInfo.processInfo.environment["CB_TEST_TIME_SCALE"].flatMap(Double.init) ?? 1
        XCTAssertLessThan(elapsed, 10 * scale)
    }

    /// LibreOffice's 1,048,570 repeated empty rows cost nothing.
    func testRepeatedEmptyRowsAreFree() throws {
        let start = Date()
        let sheet = try readFixture("basic.ods")
        XCTAssertEqual(sheet.rows.last?.number, 7)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }
}
