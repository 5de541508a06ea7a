import ChatbotErrors
/// Assembles sections into the bytes of an index file (see `IndexFormat`).
/// `package` only for `seal`, which the fuzz targets (Tests/Fuzz) call.
package struct IndexWriter {
    /// Each section's bytes are copied once, straight into the file (`copy`): a 100,000-
    /// question index is 120 MB, and every extra copy of it showed in an update's time.
    private var sections: [(tag: SectionTag, elementSize: Int, count: Int, byteCount: Int,
                            copy: (UnsafeMutableRawPointer) -> Void)] = []

    /// The first of the sections whose contents exist only once `prepareLate` has run.
    private var lateStart: Int? = nil
    private var prepareLate: (() -> Void)? = nil

    /// Sections added from now on are written after `prepare` runs, every earlier one before
    /// it: into a file, those are then on their way to the disk while `prepare` works (a
    /// build's training). Their sizes must be known now (`add(_:count:_:)`).
    mutating func addLateSections(after prepare: @escaping () -> Void) {
        precondition(lateStart == nil, "one group of late sections")
        lateStart = sections.count
        prepareLate = prepare
    }

    /// A section of `count` values that `values` gives when the section is written (after
    /// `addLateSections`' preparation, for a late section).
    mutating func add<T>(_ tag: SectionTag, count: Int, _ values: @escaping () -> [T]) {
        sections.append((tag, MemoryLayout<T>.stride, count, count * MemoryLayout<T>.stride, { destination in
            let v = values()
            precondition(v.count == count, "section \(tag) has \(v.count) values, not the \(count) announced")
            v.withUnsafeBytes { if let base = $0.baseAddress { destination.copyMemory(from: base, byteCount: $0.count) } }
        }))
    }

    mutating func add<T>(_ tag: SectionTag, _ values: [T]) {
        sections.append((tag, MemoryLayout<T>.stride, values.count, values.count * MemoryLayout<T>.stride, { destination in
            values.withUnsafeBytes { if let base = $0.baseAddress { destination.copyMemory(from: base, byteCount: $0.count) } }
        }))
    }

    mutating func addText(_ tag: SectionTag, _ text: String) {
        let bytes = Array(text.utf8)
        sections.append((tag, 1, bytes.count, bytes.count, { destination in
            bytes.withUnsafeBytes { if let base = $0.baseAddress { destination.copyMemory(from: base, byteCount: $0.count) } }
        }))
    }

    func serialized(engineVersion: String, formatVersion: UInt32 = IndexFormat.version) -> [UInt8] {
        let layout = self.layout()
        return [UInt8](unsafeUninitializedCapacity: layout.fileSize) { buffer, initialized in
            write(into: UnsafeMutableRawBufferPointer(buffer), layout: layout, engineVersion: engineVersion, formatVersion: formatVersion)
            initialized = layout.fileSize
        }
    }

    /// `serialized` straight into the storage an engine opens, without a copy of the file.
    func serializedStorage(engineVersion: String, formatVersion: UInt32 = IndexFormat.version) throws(ChatbotError) -> IndexStorage {
        let layout = self.layout()
        return try IndexStorage.filling(layout.fileSize) { buffer in
            write(into: buffer, layout: layout, engineVersion: engineVersion, formatVersion: formatVersion)
        }
    }

    /// `serialized` straight into the pages of a new file that will replace `path` (see
    /// `MappedOutputFile`): filled and sealed, not yet published.
    func serializedFile(replacing path: String, engineVersion: String,
                        formatVersion: UInt32 = IndexFormat.version) throws(ChatbotError) -> MappedOutputFile {
        let layout = self.layout()
        let file = try MappedOutputFile(replacing: path, size: layout.fileSize)
        write(into: file.bytes, layout: layout, engineVersion: engineVersion, formatVersion: formatVersion,
              sectionWritten: { file.filled(upTo: $0) })
        return file
    }

    /// Each section's offset, and the file's size.
    private func layout() -> (offsets: [Int], fileSize: Int) {
        let tableEnd = IndexFormat.headerSize + sections.count * IndexFormat.sectionEntrySize
        var offsets: [Int] = []
        var cursor = Self.aligned(tableEnd)
        for s in sections {
            offsets.append(cursor)
            cursor = Self.aligned(cursor + s.byteCount)
        }
        return (offsets, cursor)
    }

    /// Writes every byte of the file once: the sections, zeros in the header and the padding,
    /// the header and the table, then the checksums. `sectionWritten` gets the offset up to
    /// which the file is written, after each section.
    private func write(into out: UnsafeMutableRawBufferPointer, layout: (offsets: [Int], fileSize: Int),
                       engineVersion: String, formatVersion: UInt32, sectionWritten: ((Int) -> Void)? = nil) {
        let base = out.baseAddress!
        var zeroFrom = 0
        for (i, (s, offset)) in zip(sections, layout.offsets).enumerated() {
            if i == lateStart { prepareLate?() }
            base.advanced(by: zeroFrom).initializeMemory(as: UInt8.self, repeating: 0, count: offset - zeroFrom)
            s.copy(base.advanced(by: offset))
            zeroFrom = offset + s.byteCount
            sectionWritten?(zeroFrom)
        }
        if lateStart == sections.count { prepareLate?() }
        base.advanced(by: zeroFrom).initializeMemory(as: UInt8.self, repeating: 0, count: layout.fileSize - zeroFrom)
        for (i, byte) in IndexFormat.magic.enumerated() { out[i] = byte }
        Self.store(formatVersion, at: 8, in: out)
        Self.store(UInt32(IndexFormat.headerSize), at: 12, in: out)
        for (i, byte) in engineVersion.utf8.prefix(15).enumerated() { out[16 + i] = byte }
        Self.store(UInt64(layout.fileSize), at: 32, in: out)
        Self.store(UInt32(sections.count), at: 48, in: out)
        for (i, s) in sections.enumerated() {
            let e = IndexFormat.headerSize + i * IndexFormat.sectionEntrySize
            Self.store(s.tag.rawValue, at: e, in: out)
            Self.store(UInt32(s.elementSize), at: e + 4, in: out)
            Self.store(UInt64(layout.offsets[i]), at: e + 8, in: out)
            Self.store(UInt64(s.count), at: e + 16, in: out)
        }
        Self.seal(out)
    }

    /// Recomputes, in place, the checksums of a serialized index: the body's, then the
    /// header's, which covers the body's. Needs at least the 64-byte header.
    package static func seal(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { seal($0) }
    }

    static func seal(_ bytes: UnsafeMutableRawBufferPointer) {
        guard bytes.count >= IndexFormat.headerSize else { return }
        store(Checksum.compute(UnsafeRawBufferPointer(rebasing: bytes[IndexFormat.headerSize...])), at: 40, in: bytes)
        store(IndexFormat.headerChecksum(UnsafeRawBufferPointer(bytes)), at: IndexFormat.headerChecksumOffset, in: bytes)
    }

    private static func aligned(_ n: Int) -> Int {
        (n + IndexFormat.alignment - 1) / IndexFormat.alignment * IndexFormat.alignment
    }

    private static func store<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: UnsafeMutableRawBufferPointer) {
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }
}
