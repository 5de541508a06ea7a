import ChatbotErrors
import Foundation
import XCTest
@testable import Spreadsheet

func fixture(_ name: String) throws -> [UInt8] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil), "missing fixture \(name)")
    return [UInt8](try Data(contentsOf: url))
}

func readFixture(_ name: String, format: SpreadsheetFormat? = nil, limits: SpreadsheetLimits = SpreadsheetLimits()) throws -> Sheet {
    try SpreadsheetReader.read(bytes: try fixture(name), format: format, limits: limits)
}

/// The code of the error `read` throws, or a failure when it does not throw.
func errorCode(_ bytes: [UInt8], format: SpreadsheetFormat? = nil, limits: SpreadsheetLimits = SpreadsheetLimits(),
               file: StaticString = #filePath, line: UInt = #line) -> ChatbotError? {
    do {
        let sheet = try SpreadsheetReader.read(bytes: bytes, format: format, limits: limits)
        XCTFail("expected an error, read \(sheet.rows.count) rows", file: file, line: line)
        return nil
    } catch {
        XCTAssertFalse(error.message.isEmpty, file: file, line: line)
        return error
    }
}

/// A zip of stored (uncompressed) members, assembled by hand for tests.
func storedZip(_ members: [(String, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func le16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: Int, _ a: inout [UInt8]) { le16(v & 0xFFFF, &a); le16(v >> 16 & 0xFFFF, &a) }
    for (name, data) in members {
        let nameBytes = Array(name.utf8)
        let crc = Int(zipCRC32(data))
        let offset = out.count
        le32(0x0403_4B50, &out); le16(20, &out); le16(0, &out); le16(0, &out); le16(0, &out); le16(0, &out)
        le32(crc, &out); le32(data.count, &out); le32(data.count, &out); le16(nameBytes.count, &out); le16(0, &out)
        out += nameBytes
        out += data
        le32(0x0201_4B50, &central); le16(20, &central); le16(20, &central); le16(0, &central); le16(0, &central)
        le16(0, &central); le16(0, &central); le32(crc, &central); le32(data.count, &central); le32(data.count, &central)
        le16(nameBytes.count, &central); le16(0, &central); le16(0, &central); le16(0, &central); le16(0, &central)
        le32(0, &central); le32(offset, &central)
        central += nameBytes
    }
    let centralOffset = out.count
    out += central
    le32(0x0605_4B50, &out); le16(0, &out); le16(0, &out); le16(members.count, &out); le16(members.count, &out)
    le32(central.count, &out); le32(centralOffset, &out); le16(0, &out)
    return out
}

let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

/// A minimal stored xlsx whose only sheet is `sheetData` (the `<sheetData>` content).
func minimalXLSX(sheetData: [UInt8]) -> [UInt8] {
    let workbook = "<workbook xmlns=\"\(mainNS)\"><sheets><sheet name=\"S\" sheetId=\"1\"/></sheets></workbook>"
    let sheet = Array("<worksheet xmlns=\"\(mainNS)\"><sheetData>".utf8) + sheetData + Array("</sheetData></worksheet>".utf8)
    return storedZip([("xl/workbook.xml", Array(workbook.utf8)), ("xl/worksheets/sheet1.xml", sheet)])
}

extension Sheet {
    /// Row `number`'s value at the column letters (e.g. "H"), for compact assertions.
    func value(_ number: Int, _ column: String) -> CellValue? {
        rows.first { $0.number == number }?.value(at: CellReference.column(of: column)!)
    }
}
