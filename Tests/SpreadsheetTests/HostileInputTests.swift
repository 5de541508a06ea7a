import ChatbotErrors
import XCTest
@testable import Spreadsheet

/// Every way a workbook can be refused: a thrown `ChatbotError`, never a crash or a hang.
final class HostileInputTests: XCTestCase {
    func code(_ name: String, limits: SpreadsheetLimits = SpreadsheetLimits(),
              file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        errorCode(try fixture(name), limits: limits, file: file, line: line)?.code
    }

    func testNotAWorkbook() throws {
        XCTAssertEqual(errorCode([])?.code, "not_a_workbook")
        XCTAssertEqual(errorCode(Array("ID;Question\n1;Bonjour\n".utf8))?.code, "not_a_workbook")
        XCTAssertEqual(errorCode(storedZip([("readme.txt", Array("hello".utf8))]))?.code, "not_a_workbook")
        XCTAssertEqual(errorCode(try fixture("basic.ods"), format: .xlsx)?.code, "not_a_workbook")
        let xlsb = errorCode(storedZip([("xl/workbook.bin", [0, 1, 2])]))
        XCTAssertEqual(xlsb?.code, "not_a_workbook")
        XCTAssertTrue(xlsb?.message.contains(".xlsb") ?? false)
        XCTAssertEqual(errorCode(try fixture("basic.xlsx"), format: .ods)?.code, "not_a_workbook")
    }

    func testTruncatedZip() throws {
        let error = errorCode(try fixture("truncated.xlsx"))
        XCTAssertEqual(error?.code, "zip_truncated")
        XCTAssertEqual(error?.message,
                       "Le fichier n'est pas un classeur Excel (.xlsx) ou LibreOffice (.ods) lisible : archive zip tronquée.")
        // Cut at every length: always a clean error.
        let bytes = try fixture("dates_1900.xlsx")
        for length in stride(from: 0, to: bytes.count, by: 7) {
            _ = errorCode(Array(bytes.prefix(length)))
        }
    }

    func testCorruptedMembers() throws {
        var bytes = try fixture("xlsxwriter.xlsx")
        // Flip a byte in the middle of every member's data: CRC or deflate error, never a crash.
        let archive = try ZipArchive(bytes: bytes)
        for entry in archive.entries where entry.compressedSize > 4 {
            var copy = bytes
            let range = try archive.dataRange(of: entry)
            copy[range.lowerBound + range.count / 2] ^= 0x55
            _ = try? SpreadsheetReader.read(bytes: copy)
        }
        // A wrong CRC is detected.
        let sheetEntry = try XCTUnwrap(archive.entry(named: "xl/worksheets/sheet1.xml"))
        let centralCRC = try XCTUnwrap(centralHeaderOffset(bytes, name: "xl/worksheets/sheet1.xml")) + 16
        bytes[centralCRC] ^= 0xFF
        XCTAssertEqual(errorCode(bytes)?.code, "zip_malformed")
        _ = sheetEntry
    }

    func testZip64IsRefused() throws {
        var bytes = try fixture("dates_1900.xlsx")
        let end = bytes.count - 22
        XCTAssertEqual(bytes.le32(end), 0x0605_4B50)
        for i in 16..<20 { bytes[end + i] = 0xFF }
        XCTAssertEqual(errorCode(bytes)?.code, "zip64")
    }

    func testEncryptedZipEntry() throws {
        var bytes = try fixture("dates_1900.xlsx")
        let flags = try XCTUnwrap(centralHeaderOffset(bytes, name: "xl/workbook.xml")) + 8
        bytes[flags] |= 1
        XCTAssertEqual(errorCode(bytes)?.code, "encrypted")
    }

    func testPasswordProtectedOrLegacyExcel() throws {
        let error = errorCode(try fixture("encrypted_ole.xlsx"))
        XCTAssertEqual(error?.code, "encrypted")
        XCTAssertTrue(error?.message.contains("enregistrez-le au format .xlsx sans mot de passe") ?? false)
        XCTAssertNil(SpreadsheetFormat.detect(try fixture("encrypted_ole.xlsx")))
    }

    func testEncryptedODS() throws {
        let error = errorCode(try fixture("encrypted.ods"))
        XCTAssertEqual(error?.code, "encrypted")
        XCTAssertEqual(error?.message.hasPrefix("Le classeur LibreOffice est protégé par un mot de passe"), true)
    }

    func testUnsupportedCompression() throws {
        let error = errorCode(try fixture("bzip2.xlsx"))
        XCTAssertEqual(error?.code, "unsupported_compression")
        XCTAssertTrue(error?.message.contains("n° 12") ?? false)
    }

    func testMalformedXML() throws {
        let error = errorCode(try fixture("malformed_xml.xlsx"))
        XCTAssertEqual(error?.code, "xml_malformed")
        XCTAssertTrue(error?.message.contains("xl/worksheets/sheet1.xml") ?? false)
        XCTAssertTrue(error?.message.contains("ligne 1") ?? false, error?.message ?? "")
    }

    func testDoctypeIsRefused() throws {
        XCTAssertEqual(try code("doctype.xlsx"), "xml_doctype")
    }

    func testSharedStringOutOfRange() throws {
        let error = errorCode(try fixture("bad_shared_string.xlsx"))
        XCTAssertEqual(error?.code, "bad_shared_string")
        XCTAssertTrue(error?.message.contains("B1") ?? false)
    }

    func testBadCellContents() {
        let cases: [(String, String)] = [
            ("<row><c><v>abc</v></c></row>", "bad_value"),
            ("<row><c t=\"b\"><v>peut-être</v></c></row>", "bad_value"),
            ("<row r=\"0\"><c><v>1</v></c></row>", "bad_cell_reference"),
            ("<row><c r=\"12\"><v>1</v></c></row>", "bad_cell_reference"),
            ("<row><c t=\"s\"><v>0</v></c></row>", "bad_shared_string"),
        ]
        for (data, expected) in cases {
            XCTAssertEqual(errorCode(minimalXLSX(sheetData: Array(data.utf8)))?.code, expected, data)
        }
    }

    func testSheetMissing() {
        let workbook = "<workbook xmlns=\"\(mainNS)\"><sheets/></workbook>"
        XCTAssertEqual(errorCode(storedZip([("xl/workbook.xml", Array(workbook.utf8))]))?.code, "sheet_missing")
    }

    func testTooManyColumns() throws {
        XCTAssertEqual(try code("too_many_columns.xlsx"), "too_many_columns")
    }

    func testFileTooLarge() throws {
        var limits = SpreadsheetLimits()
        limits.maxFileBytes = 1000
        XCTAssertEqual(try code("basic.xlsx", limits: limits), "file_too_large")
    }

    func testUncompressedTotalLimit() throws {
        var limits = SpreadsheetLimits()
        limits.maxUncompressedBytes = 3000   // every member fits, all together do not
        XCTAssertEqual(try code("basic.xlsx", limits: limits), "too_large")
    }

    func testZipBombDeclaredSize() throws {
        let start = Date()
        XCTAssertEqual(try code("bomb.xlsx"), "too_large")
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testZipBombCompressionRatio() throws {
        // With a limit above the declared 300 MB, the ratio check stops inflation after ~1 MiB.
        // (Read through the member reader: the full reader stops even earlier, at the first
        // chunk, because zeros are not XML.)
        var limits = SpreadsheetLimits()
        limits.maxUncompressedBytes = 400 << 20
        let archive = try ZipArchive(bytes: try fixture("bomb.xlsx"))
        let members = MemberReader(archive: archive, limits: limits)
        let start = Date()
        XCTAssertThrowsError(try members.read(try XCTUnwrap(archive.entry(named: "xl/worksheets/sheet1.xml")))) {
            XCTAssertEqual(($0 as? ChatbotError)?.code, "zip_bomb")
        }
        XCTAssertLessThanOrEqual(members.totalOutput, (1 << 20) + MemberReader.chunkSize)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        XCTAssertEqual(errorCode(try fixture("bomb.xlsx"), limits: limits)?.code, "xml_malformed")
    }

    func testZipBombLyingSize() throws {
        // Declares 1 000 bytes, inflates to 20 MB: refused as soon as the output exceeds 1 000.
        XCTAssertEqual(try code("bomb_lying.xlsx"), "zip_bomb")
    }

    func testDuplicateNamesFirstWins() throws {
        let sheet1 = Array("<worksheet xmlns=\"\(mainNS)\"><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>".utf8)
        let sheet2 = Array("<worksheet xmlns=\"\(mainNS)\"><sheetData><row><c><v>2</v></c></row></sheetData></worksheet>".utf8)
        let workbook = Array("<workbook xmlns=\"\(mainNS)\"><sheets><sheet name=\"S\"/></sheets></workbook>".utf8)
        let bytes = storedZip([("xl/workbook.xml", workbook), ("xl/worksheets/sheet1.xml", sheet1), ("xl/worksheets/sheet1.xml", sheet2)])
        XCTAssertEqual(try SpreadsheetReader.read(bytes: bytes).rows.first?.cells.first?.value, .number(1))
    }

    func testOutOfOrderAndRepeatedCellReferences() throws {
        // The same reference 100 000 times: later value wins, memory stays per distinct column.
        var data = Array("<row r=\"3\"><c r=\"C3\"><v>3</v></c>".utf8)
        let repeated = Array("<c r=\"A3\"><v>1</v></c>".utf8)
        for _ in 0..<100_000 { data += repeated }
        data += Array("<c r=\"A3\"><v>2</v></c></row><row r=\"1\"><c r=\"A1\"><v>0</v></c></row>".utf8)
        let sheet = try SpreadsheetReader.read(bytes: minimalXLSX(sheetData: data))
        XCTAssertEqual(sheet.rows, [
            SheetRow(number: 1, cells: [SheetCell(column: 0, value: .number(0))]),
            SheetRow(number: 3, cells: [SheetCell(column: 0, value: .number(2)), SheetCell(column: 2, value: .number(3))]),
        ])
    }

    func testODSCellTextIsCapped() throws {
        let paragraphs = String(repeating: "<text:p/>", count: 1_100_000)
        let content = """
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <office:body><office:spreadsheet><table:table><table:table-row>\
            <table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/>b</text:p></table:table-cell>\
            <table:table-cell office:value-type="string">\(paragraphs)</table:table-cell>\
            </table:table-row></table:table></office:spreadsheet></office:body></office:document-content>
            """
        let sheet = try SpreadsheetReader.read(bytes: storedZip([("content.xml", Array(content.utf8))]))
        let cells = try XCTUnwrap(sheet.rows.first?.cells)
        XCTAssertEqual(cells.count, 2)
        XCTAssertEqual(cells[0].value.displayText.utf8.count, ODSContentHandler.maxCellTextBytes)
        XCTAssertEqual(cells[1].value.displayText.utf8.count, ODSContentHandler.maxCellTextBytes)
    }

    /// Offset of the central directory header of `name`.
    private func centralHeaderOffset(_ bytes: [UInt8], name: String) -> Int? {
        let target = Array(name.utf8)
        var i = 0
        while i + 46 < bytes.count {
            if bytes.le32(i) == 0x0201_4B50 {
                let length = Int(bytes.le16(i + 28))
                if Array(bytes[(i + 46)..<min(bytes.count, i + 46 + length)]) == target { return i }
            }
            i += 1
        }
        return nil
    }
}
