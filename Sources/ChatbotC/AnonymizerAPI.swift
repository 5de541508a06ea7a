#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ChatbotErrors
import Anonymizer
import CChatbotABI
import ChatbotEngine

/// The anonymiser (`cb_anonymize*`): a handle is the retained box (see `ObjectHandle`).
final class AnonymizerBox: Sendable {
    let anonymizer: Anonymizer
    init(_ anonymizer: Anonymizer) { self.anonymizer = anonymizer }
}

/// The built-in kinds, for a NULL handle (without host patterns there is nothing to refuse).
let builtInAnonymizer = try! Anonymizer()

enum AnonymizerHandle {
    static func make(_ anonymizer: Anonymizer) throws(ChatbotError) -> UnsafeMutableRawPointer {
        try ObjectHandle.make(AnonymizerBox(anonymizer), .anonymizer)
    }

    /// The anonymiser behind `handle`; NULL means the built-in one.
    static func with<R>(_ handle: UnsafeRawPointer?, _ body: (Anonymizer) throws(ChatbotError) -> R) throws(ChatbotError) -> R {
        guard let handle else { return try body(builtInAnonymizer) }
        return try ObjectHandle.with(handle, .anonymizer, name: "anonymizer", as: AnonymizerBox.self) { (box) throws(ChatbotError) in try body(box.anonymizer) }
    }

    static func release(_ handle: UnsafeMutableRawPointer) throws(ChatbotError) {
        try ObjectHandle.release(handle, .anonymizer, as: AnonymizerBox.self)
    }
}

@_cdecl("cb_anonymizer_new")
public func cb_anonymizer_new(_ params: UnsafePointer<cb_anonymizer_params>?,
                              _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        var patterns: [AnonymizerPattern] = []
        if let params {
            let p = params.pointee
            guard Int(p.size) == MemoryLayout<cb_anonymizer_params>.size else {
                throw ChatbotError(.invalidArgument, "params.size is \(p.size), expected \(MemoryLayout<cb_anonymizer_params>.size): start from cb_anonymizer_default_params()")
            }
            if p.pattern_count > 0 {
                guard let names = p.pattern_names, let texts = p.patterns else {
                    throw ChatbotError(.invalidArgument, "params.pattern_names and params.patterns must not be NULL when pattern_count is \(p.pattern_count)")
                }
                for i in 0..<Int(p.pattern_count) {
                    patterns.append(AnonymizerPattern(name: try requiredString(names[i], "params.pattern_names[\(i)]"),
                                                      pattern: try requiredString(texts[i], "params.patterns[\(i)]")))
                }
            }
        }
        out.pointee = try AnonymizerHandle.make(try Anonymizer(patterns: patterns))
    }
}

@_cdecl("cb_anonymize")
public func cb_anonymize(_ anonymizer: UnsafeRawPointer?, _ text: UnsafePointer<CChar>?,
                         _ textOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(textOut, "text_out")
        let text = try requiredString(text, "text")
        let masked = try AnonymizerHandle.with(anonymizer) { $0.anonymize(text).text }
        out.pointee = try OwnedCString.make(Array(masked.utf8))
    }
}

@_cdecl("cb_anonymize_json")
public func cb_anonymize_json(_ anonymizer: UnsafeRawPointer?, _ text: UnsafePointer<CChar>?,
                              _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(jsonOut, "json_out")
        let text = try requiredString(text, "text")
        let result = try AnonymizerHandle.with(anonymizer) { $0.anonymize(text) }
        let json = JSONValue.object([
            ("text", .string(result.text)),
            ("redactions", .array(result.redactions.map {
                .object([("kind", .string($0.kind)), ("start", .number(Double($0.range.lowerBound))),
                         ("end", .number(Double($0.range.upperBound)))])
            })),
        ])
        var bytes: [UInt8] = []
        json.appendJSON(to: &bytes)
        out.pointee = try OwnedCString.make(bytes)
    }
}

@_cdecl("cb_anonymizer_free")
public func cb_anonymizer_free(_ anonymizer: UnsafeMutableRawPointer?) {
    guard let anonymizer else { return }
    _ = withStatus { () throws(ChatbotError) in try AnonymizerHandle.release(anonymizer) }
}
