/// Removes accents and other diacritics: `é` → `e`, `ç` → `c`, `Ï` → `I`.
///
/// Decomposes canonically, drops every combining mark, and recomposes what remains
/// (so scripts that rely on composition, like Hangul, are unchanged). In addition the
/// French ligatures and the Latin letters "with stroke", which have no decomposition,
/// are spelled out: œ → oe, æ → ae, ø → o, đ → d, ł → l (and their capitals), so that
/// "sœur" and "soeur" meet. Case is not changed.
///
/// The analyser applies it *after* stemming: the Snowball French rules look at
/// accented letters, and folding first changes about 7.5% of stems (accès → acce).
public func foldAccents(_ text: String) -> String {
    withUTF8Bytes(text) { src -> String in
        isAllASCII(src) ? text : foldedString(src)
    }
}

/// The accent-folded form of valid UTF-8 `src` as a String (`foldAccents` on bytes).
func foldedString(_ src: UnsafeBufferPointer<UInt8>) -> String {
    // Words of ASCII and two-byte letters (all of French) fold on the stack, with no heap
    // buffer: each byte of input yields at most `maxFoldedLength` bytes.
    let table = LatinTable.shared
    if let base = src.baseAddress, !src.isEmpty {
        let folded = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: src.count * table.maxFoldedLength) { buf -> String? in
            let out = buf.baseAddress!
            var i = 0, w = 0
            while i < src.count {
                let b = base[i]
                if b < 0x80 {
                    out[w] = b
                    w += 1
                    i += 1
                    continue
                }
                let (cp, len) = decodeScalar(base, i)
                guard cp < 0x800 else { return nil }
                w += table.copyFolded(cp, to: out + w)
                i += len
            }
            return makeString(UnsafeBufferPointer(start: out, count: w))
        }
        if let folded { return folded }
    }
    var out: [UInt8] = []
    out.reserveCapacity(src.count)
    appendFolded(src, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends the accent-folded form of valid UTF-8 `src` to `out`.
func appendFolded(_ src: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    guard let p = src.baseAddress else { return }
    let n = src.count
    let table = LatinTable.shared
    var scratch: [Int32] = []
    var i = 0
    while i < n {
        let b = p[i]
        if b < 0x80 { out.append(b); i += 1; continue }
        let (cp, len) = decodeScalar(p, i)
        if cp < 0x800 {
            out.append(contentsOf: table.folded(cp))
        } else if CharClass.of(cp) != .mark {
            UTF8Proc.append(UnsafeBufferPointer(start: p + i, count: len), options: UTF8Proc.foldOptions,
                            unifyPunctuation: false, to: &out, scratch: &scratch)
        }
        i += len
    }
}

/// Letters without a canonical decomposition that are still folded (see `foldAccents`).
func foldSpecial(_ cp: UInt32) -> String? {
    switch cp {
    case 0x0153: return "oe"
    case 0x0152: return "OE"
    case 0x00E6: return "ae"
    case 0x00C6: return "AE"
    case 0x00F8: return "o"
    case 0x00D8: return "O"
    case 0x0111: return "d"
    case 0x0110: return "D"
    case 0x0142: return "l"
    case 0x0141: return "L"
    default: return nil
    }
}

/// The key under which two questions count as the same: lowercase, accents folded, only
/// letters and digits, one space between words ("Télé-travail ?!" and "tele travail" meet).
/// The question log groups questions by it, and the inbox write-back skips a question whose
/// key the base already has.
public func questionKey(_ text: String) -> String {
    var out = ""
    var pendingSpace = false
    for ch in foldAccents(text.lowercased()).unicodeScalars {
        if ch.properties.isAlphabetic || ch.properties.numericType != nil {
            if pendingSpace && !out.isEmpty { out += " " }
            pendingSpace = false
            out.unicodeScalars.append(ch)
        } else {
            pendingSpace = true
        }
    }
    return out
}
