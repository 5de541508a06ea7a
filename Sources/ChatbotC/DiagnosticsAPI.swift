import ChatbotErrors
import CChatbotABI
import ChatbotEngine

/// `cb_diagnostics`: a `HandleBlock`, like a result:
///
///     0   count     Int
///     8   entries   count × Entry
///     …   strings   NUL-terminated, referenced by byte offsets from the block start
enum DiagnosticsBlock {
    struct Entry {
        var severity: Int32
        var row: Int64
        var file: Int
        var column: Int
        var code: Int
        var message: Int
    }

    static let entriesOffset = 8

    static func make(_ diagnostics: [SourceDiagnostic]) throws(ChatbotError) -> UnsafeMutableRawPointer {
        let stride = MemoryLayout<Entry>.stride
        let room = diagnostics.reduce(0) {
            $0 + HandleBlock.room($1.file) + HandleBlock.room($1.column ?? "") + HandleBlock.room($1.code) + HandleBlock.room($1.message)
        }
        var writer = try HandleBlock(fixedSize: entriesOffset + diagnostics.count * stride,
                                     stringRoom: room, what: "diagnostics")
        writer.base.storeBytes(of: diagnostics.count, toByteOffset: 0, as: Int.self)
        for (i, d) in diagnostics.enumerated() {
            let entry = Entry(severity: Int32(bitPattern: (d.severity == .error ? CB_SEVERITY_ERROR : CB_SEVERITY_WARNING).rawValue), row: Int64(d.line), file: writer.put(d.file),
                              column: writer.put(d.column ?? ""), code: writer.put(d.code), message: writer.put(d.message))
            (writer.base + entriesOffset + i * stride).initializeMemory(as: Entry.self, repeating: entry, count: 1)
        }
        return try writer.finish(.diagnostics)
    }

    static func checked(_ handle: UnsafeRawPointer?) throws(ChatbotError) -> UnsafeRawPointer {
        try HandleRegistry.checked(handle, .diagnostics, name: "diagnostics")
    }

    static func count(_ block: UnsafeRawPointer) -> Int { block.load(fromByteOffset: 0, as: Int.self) }

    static func entry(_ block: UnsafeRawPointer, _ i: Int) throws(ChatbotError) -> Entry {
        let n = count(block)
        guard i >= 0, i < n else { throw ChatbotError(.invalidArgument, "diagnostic index \(i) is out of range (the list has \(n))") }
        return block.load(fromByteOffset: entriesOffset + i * MemoryLayout<Entry>.stride, as: Entry.self)
    }

    static func string(_ block: UnsafeRawPointer, at offset: Int) -> UnsafePointer<CChar> {
        HandleBlock.string(block, at: offset)
    }
}

@_cdecl("cb_diagnostics_count")
public func cb_diagnostics_count(_ d: UnsafeRawPointer?) -> Int {
    guard let d else { return 0 }
    return access(0) { () throws(ChatbotError) in DiagnosticsBlock.count(try DiagnosticsBlock.checked(d)) }
}

@_cdecl("cb_diagnostic_severity")
public func cb_diagnostic_severity(_ d: UnsafeRawPointer?, _ i: Int) -> Int32 {
    access(0) { () throws(ChatbotError) in try DiagnosticsBlock.entry(DiagnosticsBlock.checked(d), i).severity }
}

@_cdecl("cb_diagnostic_row")
public func cb_diagnostic_row(_ d: UnsafeRawPointer?, _ i: Int) -> Int64 {
    access(-1) { () throws(ChatbotError) in try DiagnosticsBlock.entry(DiagnosticsBlock.checked(d), i).row }
}

func diagnosticString(_ d: UnsafeRawPointer?, _ i: Int, _ field: KeyPath<DiagnosticsBlock.Entry, Int>) -> UnsafePointer<CChar>? {
    access(nil) { () throws(ChatbotError) in
        let block = try DiagnosticsBlock.checked(d)
        return DiagnosticsBlock.string(block, at: try DiagnosticsBlock.entry(block, i)[keyPath: field])
    }
}

@_cdecl("cb_diagnostic_column")
public func cb_diagnostic_column(_ d: UnsafeRawPointer?, _ i: Int) -> UnsafePointer<CChar>? { diagnosticString(d, i, \.column) }

@_cdecl("cb_diagnostic_code")
public func cb_diagnostic_code(_ d: UnsafeRawPointer?, _ i: Int) -> UnsafePointer<CChar>? { diagnosticString(d, i, \.code) }

@_cdecl("cb_diagnostic_message")
public func cb_diagnostic_message(_ d: UnsafeRawPointer?, _ i: Int) -> UnsafePointer<CChar>? { diagnosticString(d, i, \.message) }

@_cdecl("cb_diagnostics_json")
public func cb_diagnostics_json(_ d: UnsafeRawPointer?, _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        let block = try DiagnosticsBlock.checked(d)
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for i in 0..<DiagnosticsBlock.count(block) {
            let e = try DiagnosticsBlock.entry(block, i)
            let column = String(cString: DiagnosticsBlock.string(block, at: e.column))
            let diagnostic = SourceDiagnostic(file: String(cString: DiagnosticsBlock.string(block, at: e.file)), line: Int(e.row), message: String(cString: DiagnosticsBlock.string(block, at: e.message)),
                                              severity: enumValue(e.severity, as: cb_severity.self) == CB_SEVERITY_ERROR ? .error : .warning, column: column.isEmpty ? nil : column,
                                              code: String(cString: DiagnosticsBlock.string(block, at: e.code)))
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            diagnostic.jsonValue.appendJSON(to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        out.pointee = try OwnedCString.make(bytes)
    }
}

@_cdecl("cb_diagnostics_free")
public func cb_diagnostics_free(_ d: UnsafeMutableRawPointer?) {
    guard let d else { return }
    _ = withStatus { () throws(ChatbotError) in try HandleBlock.release(d, .diagnostics) }
}
