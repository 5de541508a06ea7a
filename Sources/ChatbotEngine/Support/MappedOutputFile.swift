#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CFileSync
import ChatbotErrors

/// A new file of a known size, filled in place through a shared memory map, then made
/// durable and put over its destination atomically (`publish`), as `writeFileAtomically`
/// does for bytes in memory.
///
/// Why: an index built in memory and then written costs a copy of it into fresh memory,
/// and `write` copies it again into the page cache. Filled through the map, the bytes go
/// straight into the file's pages: at 100,000 questions, 125 MB filled and `fsync`ed took
/// 0.26–0.40 s instead of 0.37–0.60 s, in interleaved runs of a stand-alone C program on
/// the 2-core machine (issue 15).
///
/// The space is reserved first (`posix_fallocate`): a full disk is then an error here,
/// where writing into a sparse file's map would be a SIGBUS. Until `publish`, the file
/// is a temporary beside the destination, removed when this object goes away.
final class MappedOutputFile {
    let path: String
    let bytes: UnsafeMutableRawBufferPointer
    private let temporary: String
    private let report: FileFailure
    private var fd: Int32
    /// Whether `deinit` unmaps `bytes` (false once `takeMapping` handed them on).
    private var ownsMapping = true
    private var published = false

    /// Creates the temporary file of `size` bytes (at least 1) that will replace `path`.
    /// Failures are reported under `path`, through `report`.
    init(replacing path: String, size: Int, failure report: @escaping FileFailure = ChatbotError.file) throws(ChatbotError) {
        precondition(size > 0, "an empty file cannot be mapped")
        self.path = path
        self.report = report
        temporary = temporaryName(replacing: path)
        fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw report(path, .fromErrno(errno, call: "open")) }
        // posix_fallocate returns the error instead of setting errno.
        let reserved = posix_fallocate(fd, 0, off_t(size))
        guard reserved == 0 else {
            close(fd)
            unlink(temporary)
            throw report(path, .fromErrno(reserved, call: "posix_fallocate"))
        }
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            let code = errno
            close(fd)
            unlink(temporary)
            throw report(path, .fromErrno(code, call: "mmap"))
        }
        bytes = UnsafeMutableRawBufferPointer(start: p, count: size)
    }

    deinit {
        if ownsMapping { munmap(bytes.baseAddress, bytes.count) }
        if fd >= 0 { close(fd) }
        if !published { unlink(temporary) }
    }

    /// Where the write-back started by `filled(upTo:)` ends.
    private var writebackStarted = 0

    /// Tells that bytes up to `offset` are filled: their write-back to the device starts
    /// (a hint) by whole `writebackChunk`s, so that the device works while the rest is filled.
    func filled(upTo offset: Int) {
        let end = min(offset, bytes.count) / writebackChunk * writebackChunk
        guard end > writebackStarted else { return }
        _ = chatbot_start_writeback(fd, Int64(writebackStarted), Int64(end - writebackStarted))
        writebackStarted = end
    }

    /// Starts writing every filled page not yet started to the device (a hint), so that
    /// work done before `publish` overlaps with it.
    func startWriteback() {
        _ = chatbot_start_writeback(fd, Int64(writebackStarted), Int64(bytes.count - writebackStarted))
        writebackStarted = bytes.count
    }

    /// The filled bytes, read-only from now on, for an owner that unmaps them
    /// (`IndexStorage.mapped`). This object keeps the file itself until `publish`.
    func takeMapping() -> UnsafeRawBufferPointer {
        precondition(ownsMapping, "the mapping was already handed on")
        // Nothing may write to an index once it is read: a stray write now faults.
        _ = mprotect(bytes.baseAddress, bytes.count, PROT_READ)
        ownsMapping = false
        return UnsafeRawBufferPointer(bytes)
    }

    /// Makes the file durable (`fsync`) and renames it over `path`. Once only.
    func publish() throws(ChatbotError) {
        precondition(!published && fd >= 0, "published twice")
        if fsync(fd) != 0 { throw report(path, .fromErrno(errno, call: "fsync")) }
        let closed = close(fd)
        fd = -1
        if closed != 0 { throw report(path, .fromErrno(errno, call: "close")) }
        // Removes the temporary itself when it fails: nothing is left for `deinit`.
        published = true
        try renameDurably(temporary, over: path, failure: report)
    }
}
