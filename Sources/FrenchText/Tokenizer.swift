import ChatbotErrors
/// Splits French questions into word, number, e-mail and URL tokens.
///
/// Works on the normalised text (see `Normalizer`) and reports every token's byte range
/// in the *original* input. The rules, in the order they are tried at each token start:
///
/// - **URLs** start with `http://`, `https://` or `www.` and run to the next space (or
///   `"<>{}|\^`, or a non-letter non-ASCII character); trailing `.,;:!?'` and unbalanced
///   closing brackets are left out.
/// - **E-mail addresses**: `[a-z0-9._%+-]+@label(.label)+` (ASCII only).
/// - **Numbers** start with a digit and keep letters and digits that follow ("10h30",
///   "1er", "3ème"), inner `, . / :` between digits ("12,5", "3.5", "14/07/2024",
///   "10:30"), thousands groups separated by a space ("1 234 567"; no-break and thin
///   spaces are spaces after NFKC) and a `%` sign, with or without a space before it.
///   The token text drops the group and percent spaces: "1 234" → "1234", "20 %" → "20%".
/// - **Words** are letters (any script), combining marks and digits. Within a word:
///   - an apostrophe after l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu is an
///     elision: the elided word becomes its own token, apostrophe included ("l'", "qu'");
///     aujourd'hui, prud'hom…, quelqu'un(e)(s) and presqu'île(s) stay whole; any other
///     apostrophe separates two words ("rock'n'roll" → rock, n', roll);
///   - hyphens join a compound ("week-end", "arc-en-ciel", "peut-être"), except that
///     pronouns at its *end* are split off (`FrenchClitics.invertedPronouns`, including
///     the particles -ci and -là): "pouvez-vous" → pouvez, vous; "donne-le-moi" → donne,
///     le, moi; "celui-ci" → celui, ci. The euphonic t is dropped: "a-t-il" → a, il.
///     "rendez-vous" is kept whole.
/// - Punctuation, symbols, emoji and lone combining marks separate tokens and are dropped.
///
/// Runs in time linear in the input length.
public struct Tokenizer: Sendable {
    public init() {}

    /// Tokens of `text`; byte ranges index `text.utf8`.
    public func tokenize(_ text: String) -> [Token] {
        withUTF8Bytes(text) { tokens(NormalizedText(validUTF8: $0, isASCII: isAllASCII($0))) }
    }

    /// Tokens of raw UTF-8; throws `ChatbotError.invalidUTF8` on malformed input.
    public func tokenize(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ChatbotError) -> [Token] {
        tokens(try NormalizedText(utf8: bytes))
    }

    func tokens(_ text: NormalizedText) -> [Token] {
        scan(text).map(\.token)
    }

    /// Tokens with the analyser's extra information (the full word behind an elision).
    func scan(_ text: NormalizedText) -> [ScannedToken] {
        var sink = ScannedTokenList()
        scan(text, into: &sink)
        return sink.tokens
    }

    /// Hands each token to `sink` as it is found (the analyser consumes them directly,
    /// without an intermediate array).
    func scan<Sink: TokenSink>(_ text: NormalizedText, into sink: inout Sink) {
        text.bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var scanner = TokenScanner(p: base, n: buf.count, text: text, sink: sink)
            scanner.run()
            sink = scanner.sink
        }
    }
}

/// Receives the tokeniser's tokens in order.
protocol TokenSink {
    /// Prepares for a text of `byteCount` normalised bytes.
    mutating func reserve(byteCount: Int)
    mutating func accept(_ token: ScannedToken)
}

/// Collects the tokens in an array.
struct ScannedTokenList: TokenSink {
    var tokens: [ScannedToken] = []
    mutating func reserve(byteCount: Int) { tokens.reserveCapacity(byteCount / 5 + 1) }
    mutating func accept(_ token: ScannedToken) { tokens.append(token) }
}

/// A token plus what only the tokeniser knows about it.
struct ScannedToken {
    var token: Token
    /// For an elided word ("l'", "qu'"): the word it stands for ("le", "que").
    var elisionOf: String?
}

private enum Connector { case none, apostrophe, hyphen }

private struct Piece {
    var range: Range<Int>
    var connector: Connector
}

private let apostrophe: UInt8 = 0x27
private let hyphen: UInt8 = 0x2D

/// Single forward pass over normalised bytes. Every sub-scan only moves forward, and the
/// e-mail probe remembers where it last failed, so the whole pass is linear.
private struct TokenScanner<Sink: TokenSink> {
    let p: UnsafePointer<UInt8>
    let n: Int
    let text: NormalizedText
    var sink: Sink
    /// Positions before this cannot start an e-mail (their local part was already scanned).
    var emailFailUntil = 0
    var pieces: [Piece] = []
    var units: [Range<Int>] = []
    var numberBytes: [UInt8] = []

    init(p: UnsafePointer<UInt8>, n: Int, text: NormalizedText, sink: Sink) {
        self.p = p
        self.n = n
        self.text = text
        self.sink = sink
        self.sink.reserve(byteCount: n)
    }

    @inline(__always)
    func charClass(at i: Int) -> (CharClass, Int) {
        let b = p[i]
        if b < 0x80 { return (CharClass.ascii(b), 1) }
        let (cp, len) = decodeScalar(p, i)
        return (CharClass.of(cp), len)
    }

    @inline(__always)
    func slice(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: p + r.lowerBound, count: r.count)
    }

    func string(_ r: Range<Int>) -> String { makeString(slice(r)) }

    mutating func emit(_ r: Range<Int>, _ kind: Token.Kind, text s: String? = nil, elisionOf: String? = nil) {
        let token = Token(text: s ?? string(r), byteRange: text.sourceRange(r), kind: kind)
        sink.accept(ScannedToken(token: token, elisionOf: elisionOf))
    }

    mutating func run() {
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                let c = CharClass.ascii(b)
                guard c == .letter || c == .digit else { i += 1; continue }
                if b == 0x68 || b == 0x77, let end = matchURL(at: i) {  // 'h', 'w'
                    emit(i..<end, .url)
                    i = end
                } else if let end = matchEmail(at: i) {
                    emit(i..<end, .email)
                    i = end
                } else {
                    i = c == .digit ? scanNumber(at: i) : scanWord(at: i)
                }
            } else {
                let (cp, len) = decodeScalar(p, i)
                i = CharClass.of(cp) == .letter ? scanWord(at: i) : i + len
            }
        }
    }

    // MARK: URLs and e-mails

    func hasPrefix(_ s: StaticString, at i: Int) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let q = s.utf8Start
        for k in 0..<count where p[i + k] != q[k] { return false }
        return true
    }

    func matchURL(at i: Int) -> Int? {
        let prefix: Int
        if hasPrefix("https://", at: i) { prefix = 8 }
        else if hasPrefix("http://", at: i) { prefix = 7 }
        else if hasPrefix("www.", at: i) { prefix = 4 }
        else { return nil }
        var q = i + prefix
        guard q < n, charClass(at: q).0 != .other else { return nil }
        var opens = 0, closes = 0
        while q < n {
            let b = p[q]
            if b < 0x80 {
                switch b {
                case 0...0x20, 0x22, 0x3C, 0x3E, 0x5C, 0x5E, 0x7B, 0x7C, 0x7D, 0x7F: break
                default:
                    if b == 0x28 { opens += 1 } else if b == 0x29 { closes += 1 }
                    q += 1
                    continue
                }
                break
            }
            let (c, len) = charClass(at: q)
            if c == .other { break }
            q += len
        }
        // Sentence punctuation after a URL is not part of it.
        while q > i + prefix {
            let b = p[q - 1]
            if b == 0x2E || b == 0x2C || b == 0x3B || b == 0x3A || b == 0x21 || b == 0x3F
                || b == apostrophe || b == 0x5D {
                q -= 1
            } else if b == 0x29 && closes > opens {
                closes -= 1
                q -= 1
            } else {
                break
            }
        }
        return q
    }

    @inline(__always)
    static func isLocalPartByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x2E, 0x5F, 0x25, 0x2B, 0x2D: return true
        default: return false
        }
    }

    @inline(__always)
    static func isDomainByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x2D: return true
        default: return false
        }
    }

    mutating func matchEmail(at i: Int) -> Int? {
        if i < emailFailUntil { return nil }
        var q = i
        while q < n && Self.isLocalPartByte(p[q]) { q += 1 }
        guard q < n, p[q] == 0x40 else {  // '@'
            emailFailUntil = q
            return nil
        }
        var r = q + 1, labels = 0, end = r
        while true {
            let start = r
            while r < n && Self.isDomainByte(p[r]) { r += 1 }
            if r == start { break }
            labels += 1
            end = r
            if r + 1 < n && p[r] == 0x2E && Self.isDomainByte(p[r + 1]) { r += 1 } else { break }
        }
        guard labels >= 2 else {
            emailFailUntil = q
            return nil
        }
        return end
    }

    // MARK: Numbers

    @inline(__always)
    func isDigit(_ i: Int) -> Bool { i < n && p[i] >= 0x30 && p[i] <= 0x39 }

    /// End of the run of letters, marks and digits starting at `i`; `allDigits` reports
    /// whether the run was only ASCII digits.
    func alnumRun(from i: Int) -> (end: Int, allDigits: Bool) {
        var q = i, allDigits = true
        while q < n {
            let (c, len) = charClass(at: q)
            if c == .other { break }
            if c != .digit { allDigits = false }
            q += len
        }
        return (q, allDigits)
    }

    mutating func scanNumber(at start: Int) -> Int {
        numberBytes.removeAll(keepingCapacity: true)
        var (q, digitsOnly) = alnumRun(from: start)
        numberBytes.append(contentsOf: slice(start..<q))
        // Thousands grouping only after a first group of 1–3 digits.
        var grouping = digitsOnly && q - start <= 3
        while q < n {
            let b = p[q]
            if (b == 0x2C || b == 0x2E || b == 0x2F || b == 0x3A) && isDigit(q + 1) {
                let (end, _) = alnumRun(from: q + 1)
                numberBytes.append(contentsOf: slice(q..<end))
                q = end
                grouping = false
            } else if b == 0x20 && grouping && isDigit(q + 1) && isDigit(q + 2) && isDigit(q + 3)
                        && (q + 4 == n || charClass(at: q + 4).0 == .other) {
                numberBytes.append(contentsOf: slice(q + 1..<q + 4))
                q += 4
            } else {
                break
            }
        }
        if q < n && p[q] == 0x25 {  // '%'
            numberBytes.append(0x25)
            q += 1
        } else if q + 1 < n && p[q] == 0x20 && p[q + 1] == 0x25 {
            numberBytes.append(0x25)
            q += 2
        }
        emit(start..<q, .number, text: String(decoding: numberBytes, as: UTF8.self))
        return q
    }

    // MARK: Words

    /// The connector joining the run that ends at `q` to a following letter, if any.
    @inline(__always)
    func connector(at q: Int) -> Connector {
        guard q + 1 < n, p[q] == apostrophe || p[q] == hyphen, charClass(at: q + 1).0 == .letter else {
            return .none
        }
        return p[q] == apostrophe ? .apostrophe : .hyphen
    }

    mutating func scanWord(at start: Int) -> Int {
        var (q, _) = alnumRun(from: start)
        var next = connector(at: q)
        if next == .none {  // a plain word: no compound machinery
            emit(start..<q, .word)
            return q
        }
        pieces.removeAll(keepingCapacity: true)
        var pos = start
        while true {
            pieces.append(Piece(range: pos..<q, connector: next))
            if next == .none { break }
            pos = q + 1
            q = alnumRun(from: pos).end
            next = connector(at: q)
        }
        splitPieces()
        return q
    }

    /// Applies the elision and hyphen rules to the pieces of one compound.
    mutating func splitPieces() {
        units.removeAll(keepingCapacity: true)
        var k = 0
        while k < pieces.count {
            let piece = pieces[k]
            guard piece.connector == .apostrophe else {
                addUnit(piece.range, then: piece.connector)
                k += 1
                continue
            }
            let next = pieces[k + 1]  // an apostrophe connector is always followed by a piece
            if FrenchClitics.keepsApostrophe(before: slice(piece.range), after: slice(next.range)) {
                addUnit(piece.range.lowerBound..<next.range.upperBound, then: next.connector)
                k += 2
            } else if let full = FrenchClitics.fullForm(ofElided: slice(piece.range)) {
                flushUnits()
                emit(piece.range.lowerBound..<piece.range.upperBound + 1, .word, elisionOf: full)
                k += 1
            } else {
                addUnit(piece.range, then: .none)
                k += 1
            }
        }
        flushUnits()
    }

    mutating func addUnit(_ r: Range<Int>, then connector: Connector) {
        units.append(r)
        if connector != .hyphen { flushUnits() }
    }

    /// Emits a hyphenated group: the head as one word, then trailing pronouns.
    mutating func flushUnits() {
        guard let first = units.first, let last = units.last else { return }
        defer { units.removeAll(keepingCapacity: true) }
        let whole = first.lowerBound..<last.upperBound
        if units.count == 1 || FrenchClitics.keepsHyphens(slice(whole)) {
            emit(whole, .word)
            return
        }
        var j = units.count - 1
        while j >= 1 && FrenchClitics.isInvertedPronoun(slice(units[j])) { j -= 1 }
        var headEnd = j
        if j >= 1 && j < units.count - 1 && units[j].count == 1 && p[units[j].lowerBound] == 0x74 {
            headEnd = j - 1  // euphonic t: "a-t-il", "va-t-on"
        }
        emit(first.lowerBound..<units[headEnd].upperBound, .word)
        for m in (j + 1)..<units.count { emit(units[m], .word) }
    }
}
