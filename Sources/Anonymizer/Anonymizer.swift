import ChatbotErrors
/// Masks personal data in French text with placeholders, in one linear pass.
///
/// Built-in kinds, tried in this order where a word starts:
/// - `[NIR]` — numéro de sécurité sociale with a valid key (`NIRScanner`);
/// - `[IBAN]` — mod-97 valid (`IBANScanner`);
/// - `[CARTE]` — Luhn-valid card numbers (`CardScanner`);
/// - `[TELEPHONE]` — French numbers, national and +33 / 0033 (`PhoneScanner`);
/// - `[EMAIL]` — found first, from each `@` (`EmailScanner`); other kinds never overlap one;
/// - then the host's `AnonymizerPattern`s, in the order given.
///
/// Left alone by design: dates, times, amounts, postal codes, years, decree and note numbers,
/// and any number failing its check digits or its shape (a 16-digit order number that fails
/// Luhn, a NIR with a wrong key, a digit run longer than a phone number).
///
/// Immutable and `Sendable`: one instance can serve every thread.
public struct Anonymizer: Sendable {
    private let patterns: [CompiledPattern]

    /// Validates the host patterns; throws on the first bad one.
    public init(patterns: [AnonymizerPattern] = []) throws(ChatbotError) {
        var compiled: [CompiledPattern] = []
        var names: Set<String> = []
        for p in patterns {
            let c = try CompiledPattern(p)
            guard names.insert(c.name).inserted else { throw .duplicateName(c.name) }
            compiled.append(c)
        }
        self.patterns = compiled
    }

    /// The text with personal data replaced by `[KIND]` placeholders, and where each was.
    public func anonymize(_ text: String) -> AnonymizedText {
        guard !text.isEmpty else { return AnonymizedText(text: text, redactions: []) }
        var text = text
        let redactions = text.withUTF8 { scan(TextBytes($0)) }
        guard !redactions.isEmpty else { return AnonymizedText(text: text, redactions: []) }
        let masked = text.withUTF8 { src -> String in
            var out: [UInt8] = []
            out.reserveCapacity(src.count + 16 * redactions.count)
            var from = 0
            for r in redactions {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: src[from..<r.range.lowerBound]))
                out.append(UInt8(ascii: "["))
                out.append(contentsOf: r.kind.utf8)
                out.append(UInt8(ascii: "]"))
                from = r.range.upperBound
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: src[from...]))
            return String(decoding: out, as: UTF8.self)
        }
        return AnonymizedText(text: masked, redactions: redactions)
    }

    /// One left-to-right pass: detectors run only where a word starts (or at a `+` not glued to
    /// a word), and a match jumps past its end, so every byte is looked at a bounded number of times.
    private func scan(_ t: TextBytes) -> [Redaction] {
        let emails = EmailScanner.findAll(t)
        var nextEmail = 0
        var found: [Redaction] = []
        var i = 0
        var afterWordChar = false
        while i < t.count {
            if nextEmail < emails.count && emails[nextEmail].lowerBound == i {
                found.append(Redaction(kind: "EMAIL", range: emails[nextEmail]))
                i = emails[nextEmail].upperBound
                nextEmail += 1
                afterWordChar = true
                continue
            }
            let b = t[i]
            if b >= 0x80 {
                let (v, length) = t.decodeScalar(at: i)
                afterWordChar = isWordScalar(v)
                i += length
                continue
            }
            let word = isASCIIWord(b)
            if !afterWordChar && (word || b == UInt8(ascii: "+")) {
                // A match may not run into the next address.
                let limit = nextEmail < emails.count ? emails[nextEmail].lowerBound : t.count
                if let (kind, end) = detect(t, at: i), end <= limit {
                    found.append(Redaction(kind: kind, range: i..<end))
                    i = end
                    afterWordChar = true
                    continue
                }
            }
            afterWordChar = word
            i += 1
        }
        return found
    }

    @inline(__always) private func detect(_ t: TextBytes, at i: Int) -> (String, Int)? {
        let b = t[i]
        if isASCIIDigit(b) {
            if let end = NIRScanner.match(t, at: i) { return ("NIR", end) }
            if let end = CardScanner.match(t, at: i) { return ("CARTE", end) }
            if let end = PhoneScanner.match(t, at: i) { return ("TELEPHONE", end) }
        } else if b == UInt8(ascii: "+") {
            if let end = PhoneScanner.match(t, at: i) { return ("TELEPHONE", end) }
        } else if let end = IBANScanner.match(t, at: i) {
            return ("IBAN", end)
        }
        for p in patterns {
            if let end = p.match(t, at: i) { return (p.name, end) }
        }
        return nil
    }
}
