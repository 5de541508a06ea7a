extension JSONValue {
    /// Compact JSON text (no insignificant whitespace), members in stored order.
    /// Non-finite numbers, which JSON cannot represent, are written as `null`.
    package func serialized() -> String { String(decoding: serializedBytes, as: UTF8.self) }

    /// `serialized()` as UTF-8 bytes.
    package var serializedBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendJSON(to: &out)
        return out
    }

    /// Appends the compact JSON text of this value as UTF-8.
    package func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let x): appendJSONNumber(x, to: &out)
        case .string(let s): appendJSONString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (k, element) in elements.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                element.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (k, member) in members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                appendJSONString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// Appends a number in the shortest form that reads back to the same `Double`;
/// integral values print without a fraction (`3`, not `3.0`). NaN and infinities become `null`.
func appendJSONNumber(_ x: Double, to out: inout [UInt8]) {
    guard x.isFinite else {
        out.append(contentsOf: "null".utf8)
        return
    }
    if x == 0 {
        out.append(contentsOf: (x.sign == .minus ? "-0" : "0").utf8)
        return
    }
    if x == x.rounded(), abs(x) < 1e18 {
        // Integral and within Int: its decimal digits are exact and carry no ".0".
        out.append(contentsOf: String(Int(x)).utf8)
        return
    }
    // Swift's description is the shortest round-trip form and uses JSON-compatible exponents.
    out.append(contentsOf: x.description.utf8)
}

/// Appends `s` as a quoted JSON string: `"` and `\` are escaped, control characters use
/// `\n`-style or `\u00XX` escapes, everything else (including non-ASCII) is copied as UTF-8.
func appendJSONString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { bytes in
        var runStart = 0
        for k in 0..<bytes.count {
            let b = bytes[k]
            // Most bytes need no escape: copy them in runs rather than one by one.
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if runStart < k { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<k])) }
            runStart = k + 1
            out.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 15)]])
            }
        }
        if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
    }
    out.append(UInt8(ascii: "\""))
}
