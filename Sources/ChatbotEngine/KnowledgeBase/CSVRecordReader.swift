import ChatbotErrors
/// Splits RFC 4180 CSV into records of fields.
///
/// Fields may be quoted with `"`; inside quotes the delimiter, CR and LF are literal and `""`
/// is one quote. Records end with LF or CRLF. Strictness where Excel never produces the
/// input, so that a hand edit gone wrong is reported rather than misread: a quote inside an
/// unquoted field, text after a closing quote, and an unterminated quote are errors.
package struct CSVRecordReader {
    package struct Record {
        /// 1-based line where the record starts (records can span lines).
        package var line: Int
        package var fields: [String]
    }

    package let fileName: String
    package let delimiter: UInt8

    package init(fileName: String, delimiter: UInt8) {
        self.fileName = fileName
        self.delimiter = delimiter
    }

    /// `;` when the header line has more semicolons than commas outside quotes, else `,`.
    /// French Excel writes `;` because the comma is the decimal separator.
    package static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var commas = 0, semicolons = 0, quoted = false
        var k = start
        while k < bytes.count {
            let b = bytes[k]
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            else if !quoted {
                if b == 0x0A { break }
                if b == UInt8(ascii: ",") { commas += 1 }
                if b == UInt8(ascii: ";") { semicolons += 1 }
            }
            k += 1
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    package func records(_ bytes: [UInt8], from start: Int) throws(ChatbotError) -> [Record] {
        var records: [Record] = []
        var line = 1
        var k = start
        var field: [UInt8] = []
        var fields: [String] = []
        var recordLine = 1
        func fail(_ message: String, _ at: Int) -> ChatbotError {
            .diagnostic(file: fileName, line: at, message: message)
        }
        func finishField(_ fieldLine: Int) throws(ChatbotError) {
            guard let s = String(validating: field, as: UTF8.self) else {
                throw fail("invalid UTF-8 in column \(fields.count + 1) (byte offset \(firstInvalidUTF8Offset(field)) in the field)", fieldLine)
            }
            fields.append(s)
            field.removeAll(keepingCapacity: true)
        }
        while k < bytes.count {
            // At the start of a field.
            let fieldLine = line
            if bytes[k] == UInt8(ascii: "\"") {
                k += 1
                while true {
                    guard k < bytes.count else {
                        throw fail("unterminated quoted field (opened on this line)", fieldLine)
                    }
                    let b = bytes[k]
                    if b == UInt8(ascii: "\"") {
                        if k + 1 < bytes.count, bytes[k + 1] == UInt8(ascii: "\"") {
                            field.append(b)
                            k += 2
                            continue
                        }
                        k += 1
                        break
                    }
                    if b == 0x0A || (b == 0x0D && !(k + 1 < bytes.count && bytes[k + 1] == 0x0A)) { line += 1 }
                    field.append(b)
                    k += 1
                }
                // A record ends at LF, CRLF or a lone CR (the "CSV (Macintosh)" of Excel for Mac).
                let endsField = k == bytes.count || bytes[k] == delimiter || bytes[k] == 0x0A || bytes[k] == 0x0D
                guard endsField else {
                    throw fail("unexpected text after a closing quote in column \(fields.count + 1) (double a quote inside a quoted field: \"\")", line)
                }
            } else {
                while k < bytes.count {
                    let b = bytes[k]
                    if b == delimiter || b == 0x0A || b == 0x0D { break }
                    if b == UInt8(ascii: "\"") {
                        throw fail("quote inside an unquoted field in column \(fields.count + 1) (quote the whole field and double inner quotes)", line)
                    }
                    field.append(b)
                    k += 1
                }
            }
            try finishField(fieldLine)
            // After a field: delimiter, end of record, or end of input.
            if k < bytes.count, bytes[k] == delimiter {
                k += 1
                if k == bytes.count { try finishField(line) }  // "a,b," ends with an empty field
                continue
            }
            if k < bytes.count, bytes[k] == 0x0D { k += 1 }
            if k < bytes.count, bytes[k] == 0x0A { k += 1 }
            records.append(Record(line: recordLine, fields: fields))
            fields.removeAll()
            line += 1
            recordLine = line
        }
        if !fields.isEmpty { records.append(Record(line: recordLine, fields: fields)) }
        return records
    }
}
