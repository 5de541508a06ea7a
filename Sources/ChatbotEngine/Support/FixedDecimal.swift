/// `x` rounded to `digits` decimals, always written in plain positional notation
/// (`String(Double)` switches to exponents such as `1e-05`, which some CSV readers reject).
package func formatFixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    // Beyond 2^63 the value has no meaningful decimals left anyway.
    guard scaled < 9.0e18 else { return String(x) }
    let n = UInt64(scaled)
    let p = UInt64(scale)
    var s = (x < 0 && n != 0 ? "-" : "") + String(n / p)
    if digits > 0 {
        let frac = String(n % p)
        s += "." + String(repeating: "0", count: digits - frac.count) + frac
    }
    return s
}
