// libFuzzer target: .xlsx / .ods bytes (see docs/fuzzing.md): the zip, inflate and XML
// layers of `SpreadsheetReader`, then, for a workbook that reads, the Usine template's checks.
import ChatbotEngine
import KnowledgeSources
import Spreadsheet

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let sheet = try? SpreadsheetReader.read(bytes: bytes) else { return 0 }
    _ = sheet
    let format: KnowledgeSourceFormat = SpreadsheetFormat.detect(bytes) == .ods ? .ods : .xlsx
    _ = try? KnowledgeSource.parse(bytes: bytes, fileName: "fuzz." + format.rawValue, format: format)
    return 0
}
