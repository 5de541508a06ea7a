import ChatbotErrors
/// The workbook formats the reader understands.
public enum SpreadsheetFormat: String, Sendable {
    case xlsx, ods

    /// From the content: a zip with `xl/workbook.xml` is xlsx; a zip whose `mimetype` member
    /// is `application/vnd.oasis.opendocument.spreadsheet`, or with `content.xml`, is ods;
    /// nil otherwise (including password-protected and legacy .xls files).
    public static func detect(_ bytes: [UInt8]) -> SpreadsheetFormat? {
        guard let archive = try? ZipArchive(bytes: bytes) else { return nil }
        return detect(archive)
    }

    static func detect(_ archive: ZipArchive) -> SpreadsheetFormat? {
        if archive.entry(named: "xl/workbook.xml") != nil { return .xlsx }
        // The mimetype member is tiny and stored: decompress it under tight limits.
        if let entry = archive.entry(named: "mimetype"), entry.uncompressedSize < 256 {
            var limits = SpreadsheetLimits()
            limits.maxUncompressedBytes = 256
            if let bytes = try? MemberReader(archive: archive, limits: limits).read(entry),
               String(decoding: bytes, as: UTF8.self).trimmed == ODSReader.mimeType {
                return .ods
            }
        }
        return archive.entry(named: "content.xml") != nil ? .ods : nil
    }
}

/// Reads the first sheet of .xlsx and .ods workbooks.
public enum SpreadsheetReader {
    /// The signature of OLE compound files: password-protected .xlsx and legacy .xls.
    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Reads the first sheet; `format` nil = detect from content.
    ///
    /// Throws a `ChatbotError` (French message, stable code) for anything unreadable,
    /// protected, malformed or over `limits`. Formula error cells (`#N/A`, `#DIV/0!`…) are
    /// left out like empty cells: an error value is never useful content.
    public static func read(bytes: [UInt8], format: SpreadsheetFormat? = nil,
                            limits: SpreadsheetLimits = SpreadsheetLimits()) throws(ChatbotError) -> Sheet {
        if bytes.isEmpty { throw .unreadable("not_a_workbook", "le fichier est vide") }
        if bytes.count > limits.maxFileBytes { throw .fileTooLarge(bytes.count, limits.maxFileBytes) }
        if bytes.starts(with: oleMagic) { throw .encryptedOLE }
        let archive = try ZipArchive(bytes: bytes)
        if format == nil && archive.entry(named: "xl/workbook.bin") != nil {
            throw ChatbotError.spreadsheet(code: "not_a_workbook", message:
                "Le fichier est un classeur Excel binaire (.xlsb), format non pris en charge : enregistrez-le au format .xlsx.")
        }
        guard let format = format ?? SpreadsheetFormat.detect(archive) else {
            throw .unreadable("not_a_workbook", "l'archive zip ne contient pas de classeur")
        }
        let members = MemberReader(archive: archive, limits: limits)
        switch format {
        case .xlsx: return try XLSXReader.read(members)
        case .ods: return try ODSReader.read(members)
        }
    }
}
