import ChatbotErrors
/// An immutable, row-major matrix of unit vectors searched by inner product (= cosine).
///
/// **Layout.** Rows are contiguous and start on 64-byte boundaries: each row is padded with
/// zeros to `rowStride` values (float32: multiple of 16, float16: multiple of 32, int8:
/// multiple of 64), which lets the kernels run without scalar tails. `withUnsafeBytes` gives
/// exactly this layout, and `init(borrowing:…)` accepts it back (e.g. from a memory-mapped
/// index file whose writer pads to 64 bytes).
///
/// **Normalisation.** Rows given to `init(rows:dim:values:type:)` are scaled to unit length
/// on insert (in Double), so scores are cosines. NaN/±inf → `ChatbotError.nonFinite`, an
/// all-zero row → `ChatbotError.zeroVector`.
///
/// **int8.** Each row is quantised with its own scale (max |x| ↦ 127), which keeps the
/// relative error per row uniform whatever the row's spread. The int8 scan selects
/// `max(8·k, 64)` candidates that are re-ranked exactly in float32, so an int8 matrix keeps
/// a float32 matrix too: memory is rows × (4·stride32 + stride8 + 4) bytes, i.e. about 1.25×
/// the float32 matrix; the speed gain comes from scanning 4× fewer bytes.
///
/// Instances are immutable after construction and may be searched from many threads.
public final class VectorMatrix: @unchecked Sendable {
    /// Number of rows (vectors).
    public let rows: Int
    /// Number of meaningful values per row.
    public let dim: Int
    /// Storage type of the scanned rows.
    public let type: ElementType
    /// Values per stored row, padding included.
    public let rowStride: Int

    let rowBytes: Int
    let base: UnsafeRawPointer
    /// Keeps `base` alive: an `AlignedStorage` or the caller's owner of borrowed memory.
    private let owner: AnyObject?
    /// int8 only: per-row scales (value ≈ q · scale) and the exact rows for re-ranking.
    let scales: AlignedStorage?
    let exact: VectorMatrix?

    /// Values per stored row for a given dimension and type (row bytes are a multiple of 64).
    public static func rowStride(dim: Int, type: ElementType) -> Int {
        roundUp(max(dim, 1), to: 64 / type.byteWidth)
    }

    /// Floats per padded query: as many as the scanned float rows hold.
    var queryStride: Int {
        switch type {
        case .float32, .float16: return rowStride
        case .int8: return exact!.rowStride
        }
    }

    private init(rows: Int, dim: Int, type: ElementType, base: UnsafeRawPointer, owner: AnyObject?,
                 scales: AlignedStorage? = nil, exact: VectorMatrix? = nil) {
        self.rows = rows
        self.dim = dim
        self.type = type
        self.rowStride = Self.rowStride(dim: dim, type: type)
        self.rowBytes = rowStride * type.byteWidth
        self.base = base
        self.owner = owner
        self.scales = scales
        self.exact = exact
    }

    /// Builds a matrix from `rows × dim` row-major floats, normalising every row.
    public convenience init(rows: Int, dim: Int, values: [Float], type: ElementType = .float32) throws(ChatbotError) {
        let m = try values.withUnsafeBufferPointer { (buf) throws(ChatbotError) in
            try VectorMatrix.build(rows: rows, dim: dim, values: buf, type: type)
        }
        self.init(copying: m)
    }

    /// Builds a matrix from `rows × dim` row-major floats, normalising every row.
    public convenience init(rows: Int, dim: Int, values: UnsafeBufferPointer<Float>,
                            type: ElementType = .float32) throws(ChatbotError) {
        self.init(copying: try VectorMatrix.build(rows: rows, dim: dim, values: values, type: type))
    }

    private convenience init(copying m: VectorMatrix) {
        self.init(rows: m.rows, dim: m.dim, type: m.type, base: m.base, owner: m.owner ?? m,
                  scales: m.scales, exact: m.exact)
    }

    /// Wraps external memory holding float32 or float16 rows in this type's layout
    /// (`rows × rowStride(dim:type:)` values, zero padding, base 64-byte aligned), without
    /// copying. `owner` is retained for as long as the matrix lives (e.g. the mapping).
    ///
    /// With `verify` (default) every row is checked: finite values, zero padding, and unit
    /// length within 1e-3 — a full read of the data (~30 GB/s), which turns a corrupt file
    /// into an error rather than wrong scores. int8 is not accepted here: borrow the float32
    /// rows and call `converted(to: .int8)`.
    public init(borrowing bytes: UnsafeRawBufferPointer, rows: Int, dim: Int, type: ElementType = .float32,
                owner: AnyObject?, verify: Bool = true) throws(ChatbotError) {
        guard rows >= 0, dim > 0 else {
            throw .invalidArgument("invalid matrix shape \(rows) × \(dim): rows must be ≥ 0 and dim > 0")
        }
        guard type != .int8 else {
            throw .invalidArgument("borrowed storage must be f32 or f16; build int8 with converted(to: .int8)")
        }
        let stride = Self.rowStride(dim: dim, type: type)
        let (need, overflow) = rows.multipliedReportingOverflow(by: stride * type.byteWidth)
        guard !overflow, bytes.count >= need else {
            throw .invalidArgument("borrowed buffer has \(bytes.count) bytes, \(rows) × \(dim) \(type.rawValue) rows need \(need)")
        }
        guard let p = bytes.baseAddress ?? (rows == 0 ? UnsafeRawPointer(bitPattern: 64) : nil) else {
            throw .invalidArgument("borrowed buffer has no base address")
        }
        guard Int(bitPattern: p) % AlignedStorage.alignment == 0 else {
            throw .invalidArgument("borrowed buffer is not 64-byte aligned")
        }
        self.rows = rows
        self.dim = dim
        self.type = type
        self.rowStride = stride
        self.rowBytes = stride * type.byteWidth
        self.base = p
        self.owner = owner
        self.scales = nil
        self.exact = nil
        if verify {
            for r in 0..<rows { try verifyRow(r) }
        }
    }

    /// Checks a borrowed row: finite, zero padding, unit norm.
    private func verifyRow(_ r: Int) throws(ChatbotError) {
        var sum = 0.0
        for c in 0..<rowStride {
            let x = value(row: r, column: c)
            guard x.isFinite else { throw .nonFinite(row: r, column: c) }
            if c >= dim {
                guard x == 0 else { throw .invalidArgument("row \(r) has non-zero padding at column \(c)") }
            }
            sum += Double(x) * Double(x)
        }
        guard sum > 0 else { throw .zeroVector(row: r) }
        guard abs(sum - 1) <= 1e-3 else {
            throw .invalidArgument("row \(r) is not unit length (norm² = \(sum)); borrowed rows must be normalised")
        }
    }

    @inline(__always)
    private func value(row r: Int, column c: Int) -> Float {
        let p = base + r * rowBytes
        switch type {
        case .float32: return p.load(fromByteOffset: 4 * c, as: Float.self)
        case .float16: return Float(p.load(fromByteOffset: 2 * c, as: Float16.self))
        case .int8: return Float(p.load(fromByteOffset: c, as: Int8.self)) * scales!.pointer.load(fromByteOffset: 4 * r, as: Float.self)
        }
    }

    /// A copy of row `i` (unit length) as floats. For int8 matrices this is the exact
    /// float32 row kept for re-ranking; for float16 the widened stored values.
    public func row(_ i: Int) throws(ChatbotError) -> [Float] {
        guard i >= 0, i < rows else { throw .invalidArgument("row \(i) out of range 0..<\(rows)") }
        if let exact { return try exact.row(i) }
        return (0..<dim).map { value(row: i, column: $0) }
    }

    /// Bytes of memory the matrix holds, float32 re-ranking rows and scales included.
    public var byteCount: Int {
        rows * rowBytes + (exact?.byteCount ?? 0) + (scales != nil ? rows * 4 : 0)
    }

    /// Bytes read by one full scan (what bounds single-query speed).
    public var scannedByteCount: Int { rows * rowBytes + (scales != nil ? rows * 4 : 0) }

    /// Calls `body` with the stored rows in the documented layout (`rows × rowStride` values
    /// of `type`), e.g. to write an index file. For int8 these are the quantised bytes only.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: rows * rowBytes))
    }

    /// The same vectors stored as `type`. float32 → int8 keeps a reference to this matrix's
    /// float32 rows for re-ranking instead of copying them.
    public func converted(to type: ElementType) throws(ChatbotError) -> VectorMatrix {
        if type == self.type { return self }
        try Self.checkInt8Dimension(dim, type: type)
        if let exact { return try exact.converted(to: type) }
        let f32: VectorMatrix
        if self.type == .float32 {
            f32 = self
        } else {
            let s = AlignedStorage(byteCount: rows * Self.rowStride(dim: dim, type: .float32) * 4)
            f32 = VectorMatrix(rows: rows, dim: dim, type: .float32, base: UnsafeRawPointer(s.pointer), owner: s)
            for r in 0..<rows {
                let dst = s.pointer.assumingMemoryBound(to: Float.self) + r * f32.rowStride
                for c in 0..<dim { dst[c] = value(row: r, column: c) }
            }
        }
        return type == .float32 ? f32 : Self.derive(from: f32, as: type)
    }

    /// Largest int8 dimension: the Int32 dot product of two int8 vectors (|q| ≤ 127) cannot
    /// overflow below 2³¹ / 127² ≈ 133,000 values.
    public static let maxInt8Dimension = 131_072

    private static func checkInt8Dimension(_ dim: Int, type: ElementType) throws(ChatbotError) {
        guard type != .int8 || dim <= maxInt8Dimension else {
            throw .invalidArgument("int8 storage supports at most \(maxInt8Dimension) dimensions, got \(dim)")
        }
    }

    /// float16 or int8 storage computed from a float32 matrix.
    private static func derive(from f32: VectorMatrix, as type: ElementType) -> VectorMatrix {
        let rows = f32.rows, dim = f32.dim
        let stride = rowStride(dim: dim, type: type)
        let s = AlignedStorage(byteCount: rows * stride * type.byteWidth)
        let src = f32.base.assumingMemoryBound(to: Float.self)
        switch type {
        case .float32:
            return f32
        case .float16:
            let dst = s.pointer.assumingMemoryBound(to: Float16.self)
            for r in 0..<rows {
                for c in 0..<dim { dst[r * stride + c] = Float16(src[r * f32.rowStride + c]) }
            }
            return VectorMatrix(rows: rows, dim: dim, type: .float16, base: UnsafeRawPointer(s.pointer), owner: s)
        case .int8:
            let scales = AlignedStorage(byteCount: rows * 4)
            let sp = scales.pointer.assumingMemoryBound(to: Float.self)
            let dst = s.pointer.assumingMemoryBound(to: Int8.self)
            for r in 0..<rows {
                sp[r] = quantize(src + r * f32.rowStride, count: dim, into: dst + r * stride)
            }
            return VectorMatrix(rows: rows, dim: dim, type: .int8, base: UnsafeRawPointer(s.pointer), owner: s,
                                scales: scales, exact: f32)
        }
    }

    /// Validates and normalises `values` into a new matrix.
    private static func build(rows: Int, dim: Int, values: UnsafeBufferPointer<Float>,
                              type: ElementType) throws(ChatbotError) -> VectorMatrix {
        guard rows >= 0, dim > 0 else {
            throw .invalidArgument("invalid matrix shape \(rows) × \(dim): rows must be ≥ 0 and dim > 0")
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: dim)
        guard !overflow, values.count == count else {
            throw .dimensionMismatch(expected: overflow ? Int.max : count, got: values.count)
        }
        try checkInt8Dimension(dim, type: type)
        let stride = rowStride(dim: dim, type: .float32)
        let s = AlignedStorage(byteCount: rows * stride * 4)
        let dst = s.pointer.assumingMemoryBound(to: Float.self)
        for r in 0..<rows {
            let row = UnsafeMutableBufferPointer(start: dst + r * stride, count: dim)
            _ = row.initialize(from: values[(r * dim)..<(r * dim + dim)])
            try normalizeInPlace(row, row: r)
        }
        let f32 = VectorMatrix(rows: rows, dim: dim, type: .float32, base: UnsafeRawPointer(s.pointer), owner: s)
        return derive(from: f32, as: type)
    }
}
