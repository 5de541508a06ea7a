import ChatbotErrors
import CExpat

/// An element or attribute name split by namespace (expat resolves the prefixes, so
/// `table:table-row` and `t:table-row` bound to the same URI compare equal).
struct XMLName {
    /// Namespace URI; empty for names without a namespace (e.g. unprefixed attributes).
    var namespace: String
    var local: String
}

struct XMLAttribute {
    var name: XMLName
    var value: String
}

extension Array where Element == XMLAttribute {
    func value(_ local: String, namespace: String = "") -> String? {
        first { $0.name.local == local && $0.name.namespace == namespace }?.value
    }

    /// Matches on the local name whatever the namespace (xlsx readers tolerate both
    /// transitional and strict OOXML namespaces this way).
    func value(anyNamespace local: String) -> String? {
        first { $0.name.local == local }?.value
    }
}

/// Receives the parse events of one document.
protocol XMLEventHandler: AnyObject {
    func startElement(_ name: XMLName, attributes: [XMLAttribute]) throws(ChatbotError)
    func endElement(_ name: XMLName) throws(ChatbotError)
    /// Raw UTF-8 character data; may arrive in several pieces for one text node.
    func characters(_ text: UnsafeBufferPointer<UInt8>)
    /// Set to true once the handler has what it needs; parsing then stops quietly.
    var isDone: Bool { get }
}

/// A streaming, namespace-aware expat parser that refuses DTDs.
///
/// Documents with a DOCTYPE are refused outright: spreadsheet parts never have one, and
/// this rules out entity-expansion attacks regardless of the expat version.
final class XMLEventParser {
    private let parser: XML_Parser
    private let handler: XMLEventHandler
    /// The zip member name, for error messages.
    let documentName: String
    private var pendingError: ChatbotError?
    private(set) var finished = false

    /// Separates the namespace URI from the local name in names expat reports (URIs never contain spaces).
    private static let separator = UInt8(ascii: " ")

    init(handler: XMLEventHandler, documentName: String) throws(ChatbotError) {
        guard let parser = XML_ParserCreateNS(nil, XML_Char(bitPattern: Self.separator)) else {
            throw ChatbotError.spreadsheet(code: "xml_error", message: "Erreur interne : l'analyseur XML n'a pas pu démarrer.")
        }
        self.parser = parser
        self.handler = handler
        self.documentName = documentName
        XML_SetUserData(parser, Unmanaged.passUnretained(self).toOpaque())
        XML_SetElementHandler(parser, { context, name, attributes in
            guard let context, let name else { return }
            let me = Unmanaged<XMLEventParser>.fromOpaque(context).takeUnretainedValue()
            me.dispatchStart(name, attributes)
        }, { context, name in
            guard let context, let name else { return }
            let me = Unmanaged<XMLEventParser>.fromOpaque(context).takeUnretainedValue()
            me.dispatchEnd(name)
        })
        XML_SetCharacterDataHandler(parser, { context, text, length in
            guard let context, let text, length > 0 else { return }
            let me = Unmanaged<XMLEventParser>.fromOpaque(context).takeUnretainedValue()
            text.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                me.handler.characters(UnsafeBufferPointer(start: $0, count: Int(length)))
            }
        })
        XML_SetStartDoctypeDeclHandler(parser, { context, _, _, _, _ in
            guard let context else { return }
            let me = Unmanaged<XMLEventParser>.fromOpaque(context).takeUnretainedValue()
            me.fail(ChatbotError.damaged("xml_doctype",
                "le fichier interne « \(me.documentName) » contient une déclaration DOCTYPE, refusée par sécurité"))
        })
    }

    deinit { XML_ParserFree(parser) }

    /// Parses a whole document held in memory.
    func parse(_ bytes: [UInt8]) throws(ChatbotError) {
        try bytes.withBytes { (buffer: UnsafeRawBufferPointer) throws(ChatbotError) in
            var offset = 0
            // XML_Parse takes an Int32 length: feed large documents in slices.
            repeat {
                let end = min(offset + (16 << 20), buffer.count)
                try feed(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), isFinal: end == buffer.count)
                offset = end
            } while offset < buffer.count && !finished
        }
    }

    /// Feeds the next piece of the document; returns false once the handler is done and
    /// the rest of the document is not needed.
    @discardableResult
    func feed(_ chunk: UnsafeRawBufferPointer, isFinal: Bool) throws(ChatbotError) -> Bool {
        if finished { return false }
        let status = XML_Parse(parser, chunk.baseAddress?.assumingMemoryBound(to: CChar.self),
                               Int32(chunk.count), isFinal ? 1 : 0)
        if let pendingError { throw pendingError }
        if finished { return false }
        if status == XML_STATUS_ERROR {
            let code = XML_GetErrorCode(parser)
            let reason = XML_ErrorString(code).map { String(cString: $0) } ?? "erreur \(code.rawValue)"
            let line = XML_GetCurrentLineNumber(parser)
            throw ChatbotError.damaged("xml_malformed",
                "le fichier interne « \(documentName) » est mal formé (ligne \(line) : \(reason))")
        }
        if isFinal { finished = true }
        return !finished
    }

    private func fail(_ error: ChatbotError) {
        if pendingError == nil { pendingError = error }
        XML_StopParser(parser, 0)
    }

    private func dispatchStart(_ name: UnsafePointer<XML_Char>, _ attributes: UnsafeMutablePointer<UnsafePointer<XML_Char>?>?) {
        guard pendingError == nil, !finished else { return }
        var list: [XMLAttribute] = []
        if let attributes {
            var index = 0
            while let attributeName = attributes[index], let value = attributes[index + 1] {
                list.append(XMLAttribute(name: Self.split(attributeName), value: String(cString: value)))
                index += 2
            }
        }
        do throws(ChatbotError) {
            try handler.startElement(Self.split(name), attributes: list)
            if handler.isDone { stop() }
        } catch {
            fail(error)
        }
    }

    private func dispatchEnd(_ name: UnsafePointer<XML_Char>) {
        guard pendingError == nil, !finished else { return }
        do throws(ChatbotError) {
            try handler.endElement(Self.split(name))
            if handler.isDone { stop() }
        } catch {
            fail(error)
        }
    }

    private func stop() {
        finished = true
        XML_StopParser(parser, 0)
    }

    /// "uri local" → (uri, local); "local" → ("", local).
    private static func split(_ name: UnsafePointer<XML_Char>) -> XMLName {
        let length = strlen(name)
        return name.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            let buffer = UnsafeBufferPointer(start: bytes, count: length)
            guard let space = buffer.lastIndex(of: separator) else {
                return XMLName(namespace: "", local: String(decoding: buffer, as: UTF8.self))
            }
            return XMLName(namespace: String(decoding: buffer[..<space], as: UTF8.self),
                           local: String(decoding: buffer[(space + 1)...], as: UTF8.self))
        }
    }
}

/// `strlen` without importing Glibc into every file.
private func strlen(_ text: UnsafePointer<XML_Char>) -> Int {
    var length = 0
    while text[length] != 0 { length += 1 }
    return length
}
