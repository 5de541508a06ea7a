// libFuzzer target: the XML of workbooks (see docs/fuzzing.md). FuzzSpreadsheet mutates the
// zip bytes, where the members are deflated and CRC-checked, so its mutations almost never
// reach the XML readers; here the input is the members' XML itself, zipped by the harness
// (`ZipWriter`: valid deflate and CRC-32), so that the worksheet, shared-string, style and
// ODS content readers and then the Usine template's checks are what gets fuzzed.
//
// Input: byte 0 (bit 0) chooses .xlsx or .ods; the rest is the members' contents in a fixed
// order, separated by NUL bytes (never valid inside XML); a missing or empty one is left out.
//   .xlsx: [Content_Types].xml, xl/workbook.xml, xl/_rels/workbook.xml.rels,
//          xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/styles.xml
//   .ods:  mimetype, content.xml, META-INF/manifest.xml, styles.xml
import ChatbotEngine
import KnowledgeSources
import Spreadsheet

private let xlsxMembers = ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"]
private let odsMembers = ["mimetype", "content.xml", "META-INF/manifest.xml", "styles.xml"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let ods = data[0] & 1 == 1
    let names = ods ? odsMembers : xlsxMembers
    let parts = UnsafeBufferPointer(start: data + 1, count: size - 1)
        .split(separator: 0, maxSplits: names.count - 1, omittingEmptySubsequences: false)
    var archive = ZipWriter()
    for (name, part) in zip(names, parts) where !part.isEmpty {
        guard (try? archive.add(name, Array(part))) != nil else { return 0 }
    }
    let bytes = archive.finish()
    guard (try? SpreadsheetReader.read(bytes: bytes, format: ods ? .ods : .xlsx)) != nil else { return 0 }
    _ = try? KnowledgeSource.parse(bytes: bytes, fileName: ods ? "fuzz.ods" : "fuzz.xlsx", format: ods ? .ods : .xlsx)
    return 0
}
