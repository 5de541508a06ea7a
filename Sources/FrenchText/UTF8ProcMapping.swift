import CUTF8Proc

/// Thin, allocation-free wrapper around utf8proc's decompose + re-encode.
///
/// `utf8proc_map` mallocs a result per call; the analyser calls utf8proc once per
/// non-ASCII character cluster, so it decomposes into a reusable scratch buffer instead.
/// `UTF8PROC_CHARBOUND` is never used (it reads out of bounds in utf8proc 2.8).
enum UTF8Proc {
    /// NFKC + full case folding + removal of default-ignorable code points (soft hyphen,
    /// zero-width joiner, variation selectors), with French punctuation unified first.
    static let normalizeOptions = options(
        UTF8PROC_STABLE, UTF8PROC_COMPAT, UTF8PROC_COMPOSE, UTF8PROC_CASEFOLD, UTF8PROC_IGNORE)

    /// Canonical decomposition, marks stripped, then recomposed (so Hangul etc. survive).
    static let foldOptions = options(UTF8PROC_STABLE, UTF8PROC_COMPOSE, UTF8PROC_STRIPMARK)

    static func options(_ parts: utf8proc_option_t...) -> utf8proc_option_t {
        utf8proc_option_t(rawValue: parts.reduce(0) { $0 | $1.rawValue })
    }

    /// Maps valid UTF-8 `source` with `options` and appends the UTF-8 result to `out`.
    /// `unifyPunctuation` applies `unifiedPunctuation` to each code point before decomposition.
    static func append(
        _ source: UnsafeBufferPointer<UInt8>, options: utf8proc_option_t, unifyPunctuation: Bool,
        to out: inout [UInt8], scratch: inout [Int32]
    ) {
        guard let src = source.baseAddress, !source.isEmpty else { return }
        if scratch.count < 16 { scratch = [Int32](repeating: 0, count: 16) }
        while true {
            let capacity = scratch.count
            let produced: Int = scratch.withUnsafeMutableBufferPointer { buf in
                let n = utf8proc_decompose_custom(
                    src, source.count, buf.baseAddress, capacity, options,
                    unifyPunctuation ? { cp, _ in unifiedPunctuation(cp) } : nil, nil)
                guard n >= 0, n <= capacity else { return n }
                // Re-encoding writes UTF-8 bytes over the code-point buffer (always fits).
                let bytes = utf8proc_reencode(buf.baseAddress, n, options)
                guard bytes >= 0 else { return bytes }
                let raw = UnsafeRawBufferPointer(buf)
                out.append(contentsOf: raw[0..<bytes])
                return -1_000_000  // done marker (never a utf8proc error code)
            }
            if produced == -1_000_000 { return }
            if produced > capacity {
                scratch = [Int32](repeating: 0, count: produced)
                continue
            }
            // Only reachable on an internal utf8proc error, which valid UTF-8 cannot trigger;
            // keep the input unchanged rather than dropping text.
            out.append(contentsOf: source)
            return
        }
    }

    /// General category of a scalar (utf8proc's tables, Unicode 15 for utf8proc 2.8).
    @inline(__always)
    static func category(_ cp: UInt32) -> Int32 {
        Int32(utf8proc_category(Int32(bitPattern: cp)).rawValue)
    }
}

/// Typographic apostrophes → `'` and dashes → `-`, applied before NFKC.
///
/// Apostrophes: ’ U+2019, ‘ U+2018, ‛ U+201B, ʼ U+02BC, ′ U+2032, ´ U+00B4 and the
/// grave accent ` U+0060 (both typed for apostrophes on some keyboards; ´ must be
/// mapped before NFKC, which would otherwise turn it into space + combining accent).
/// Full-width ＇ and － reach `'`/`-` through NFKC itself.
/// Dashes: ‐ ‑ ‒ – — ― (U+2010–2015), ⁃ U+2043, − U+2212, ⸺ ⸻ U+2E3A–2E3B,
/// ﹘ U+FE58, ﹣ U+FE63.
@inline(__always)
func unifiedPunctuation(_ cp: Int32) -> Int32 {
    switch cp {
    case 0x2019, 0x2018, 0x201B, 0x02BC, 0x2032, 0x00B4, 0x0060: return 0x27
    case 0x2010...0x2015, 0x2043, 0x2212, 0x2E3A, 0x2E3B, 0xFE58, 0xFE63: return 0x2D
    default: return cp
    }
}
