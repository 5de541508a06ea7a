import ChatbotErrors
import XCTest
@testable import Spreadsheet

/// Random damage to valid workbooks must always end in a sheet or a `ChatbotError`:
/// any trap (out-of-bounds, overflow) would crash the test process.
final class MutationTests: XCTestCase {
    /// A small deterministic generator, so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func mutate(_ original: [UInt8], rounds: Int, seed: UInt64,
                wrap: ([UInt8]) -> [UInt8] = { $0 }) -> (read: Int, refused: [String: Int]) {
        var random = SplitMix(state: seed)
        var read = 0
        var refused: [String: Int] = [:]
        for _ in 0..<rounds {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                default: bytes[index] = [0x00, 0xFF, UInt8(ascii: "<"), UInt8(ascii: "\""), 0x80].randomElement(using: &random)!
                }
            }
            do {
                _ = try SpreadsheetReader.read(bytes: wrap(bytes))
                read += 1
            } catch {
                refused[error.code, default: 0] += 1
            }
        }
        return (read, refused)
    }

    func testMutatedFixtures() throws {
        for name in ["basic.xlsx", "xlsxwriter.xlsx", "basic.ods", "handmade_1904.xlsx"] {
            let result = mutate(try fixture(name), rounds: 300, seed: 42)
            XCTAssertEqual(result.read + result.refused.values.reduce(0, +), 300, name)
        }
    }

    /// Damaged XML inside an intact zip (valid CRC), to reach the XML handlers.
    func testMutatedStoredWorkbook() {
        let data = Array("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>é</t></is></c><c r="B1" t="b"><v>1</v></c><c r="C1" t="d"><v>2027-01-31</v></c></row>\
            <row><c><v>1.5</v></c><c t="str"><v>x</v></c><c t="e"><v>#N/A</v></c><c r="AB2"><v>1</v></c></row>
            """.utf8)
        let result = mutate(data, rounds: 2000, seed: 7, wrap: minimalXLSX(sheetData:))
        print("mutated XML: \(result.read) read, refused: \(result.refused)")
        XCTAssertGreaterThan(result.read, 0)
        XCTAssertEqual(result.read + result.refused.values.reduce(0, +), 2000)
    }

    func testMutatedODSContent() {
        let content = Array("""
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <office:body><office:spreadsheet><table:table table:name="T"><table:table-row table:number-rows-repeated="2">\
            <table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b</text:p><text:p>c</text:p></table:table-cell>\
            <table:table-cell table:number-columns-repeated="3" office:value-type="float" office:value="2"/>\
            <table:table-cell office:value-type="date" office:date-value="2027-01-31"/></table:table-row>\
            <table:table-row table:number-rows-repeated="1000"/></table:table></office:spreadsheet></office:body></office:document-content>
            """.utf8)
        let result = mutate(content, rounds: 2000, seed: 11) { storedZip([("content.xml", $0)]) }
        print("mutated ODS: \(result.read) read, refused: \(result.refused)")
        XCTAssertGreaterThan(result.read, 0)
        XCTAssertEqual(result.read + result.refused.values.reduce(0, +), 2000)
    }
}
