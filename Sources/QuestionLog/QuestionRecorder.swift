#if canImport(Glibc)
import Glibc
#endif
import ChatbotEngine

/// Records questions off the caller's thread, so that logging never slows a match.
///
/// `record` queues the row and returns at once; one background thread
/// writes what is queued in batches, one transaction per batch (a commit per row is what
/// makes synchronous logging cost about 100 µs). The queue is bounded: when it is full
/// (the disk is slower than the questions arrive) the row is dropped and counted in
/// `droppedCount`, never silently, and `record` returns nil. `flush()` waits until every
/// queued row is written; releasing the recorder flushes it.
///
/// The database gives the rows their ids when they are written, so ids never collide between
/// processes or hosts; a host that needs a question's id at once (to attach feedback to it)
/// records that question with `QuestionLog.record`, which writes synchronously and returns it.
///
/// **An unreachable server** (a PostgreSQL log whose server restarts, or whose network
/// drops) never reaches the caller: `record` still only appends to the queue. The writer
/// keeps the batch, tries again once per `PostgresConnection.retryIntervalMilliseconds`, and
/// writes it when the server returns; each row is stored once even if a COMMIT's answer was
/// lost (rows carry a key the writer draws). Meanwhile the queue's bound holds: rows beyond it are
/// dropped and counted. Releasing the recorder waits at most `closeGraceMilliseconds` for
/// the server; rows still waiting then are counted in the log's `failureCount`.
public final class QuestionRecorder: @unchecked Sendable {
    public let log: QuestionLog
    public let capacity: Int
    /// How long releasing the recorder waits for an unreachable server.
    public static let closeGraceMilliseconds: Int64 = 5000
    private var queue: [QuestionRecord] = []
    private var writing = false
    /// Rows taken by the writer and not yet stored (they count in the bound).
    private var inFlight = 0
    /// The last try found the database unreachable: rows wait for it.
    private var unreachable = false
    private var retries = 0
    private var stopping = false
    private var dropped = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeWriter = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let drained = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var thread = pthread_t()

    /// Starts the writer thread. `capacity` bounds the rows waiting to be written.
    public init(log: QuestionLog, capacity: Int = 10_000) {
        self.log = log
        self.capacity = max(1, capacity)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeWriter, nil)
        pthread_cond_init(drained, nil)
        // The thread holds no reference: a strong one would keep the recorder alive forever.
        // `deinit` joins the thread before the memory goes, so the pointer stays valid.
        pthread_create(&thread, nil, { raw in
            Unmanaged<QuestionRecorder>.fromOpaque(raw!)._withUnsafeGuaranteedRef { $0.run() }
            return nil
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        lock()
        stopping = true
        pthread_cond_signal(wakeWriter)
        unlock()
        pthread_join(thread, nil)
        pthread_cond_destroy(wakeWriter)
        pthread_cond_destroy(drained)
        pthread_mutex_destroy(mutex)
        wakeWriter.deallocate()
        drained.deallocate()
        mutex.deallocate()
    }

    private func lock() { pthread_mutex_lock(mutex) }
    private func unlock() { pthread_mutex_unlock(mutex) }

    /// Queues a row; false when the queue is full and the row was dropped (and counted).
    @discardableResult
    public func record(_ r: QuestionRecord) -> Bool {
        var r = r
        if r.timeMilliseconds == nil { r.timeMilliseconds = currentTimeMilliseconds() }  // the time asked, not written
        lock()
        defer { unlock() }
        guard queue.count + inFlight < capacity else {
            dropped += 1
            return false
        }
        queue.append(r)
        pthread_cond_signal(wakeWriter)
        return true
    }

    /// Rows dropped because the queue was full.
    public var droppedCount: Int {
        lock()
        defer { unlock() }
        return dropped
    }

    /// Waits until every row queued so far is written (or failed, see `QuestionLog`), or
    /// until the writer finds the database unreachable; returns how many rows are still
    /// waiting for it (0 when everything was written or failed). Never waits on a server
    /// that is down.
    @discardableResult
    public func flush() -> Int {
        lock()
        defer { unlock() }
        while (!queue.isEmpty || writing) && !unreachable { pthread_cond_wait(drained, mutex) }
        return queue.count + inFlight
    }

    /// How many times a batch was kept because the database was unreachable.
    public var retryCount: Int {
        lock()
        defer { unlock() }
        return retries
    }

    /// The writer thread: takes everything queued, writes it in one transaction, repeats.
    fileprivate func run() {
        var stopDeadline: Int64?
        lock()
        while true {
            while queue.isEmpty && !stopping { pthread_cond_wait(wakeWriter, mutex) }
            if queue.isEmpty && stopping { break }
            var batch = queue
            queue.removeAll(keepingCapacity: true)
            writing = true
            inFlight = batch.count
            unlock()
            // Keys are drawn here, off the caller's thread, once: a batch kept for a retry
            // goes back to the queue with them.
            for i in batch.indices where batch[i].recordKey == nil { batch[i].recordKey = QuestionRecord.newRecordKey() }
            let outcome = log.record(batch: batch)
            lock()
            writing = false
            inFlight = 0
            if outcome == .unreachable {
                queue.insert(contentsOf: batch, at: 0)
                unreachable = true
                retries += 1
                pthread_cond_broadcast(drained)
                if stopping {
                    let now = monotonicMilliseconds()
                    if stopDeadline == nil { stopDeadline = now + Self.closeGraceMilliseconds }
                    if now >= stopDeadline! {
                        log.noteAbandoned(queue.count)
                        queue.removeAll()
                        break
                    }
                }
                waitBeforeRetry()
                continue
            }
            unreachable = false
            if queue.isEmpty { pthread_cond_broadcast(drained) }
        }
        pthread_cond_broadcast(drained)
        unlock()
    }

    /// Sleeps one retry interval, or until the recorder is released (the mutex is held).
    private func waitBeforeRetry() {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let ns = Int(deadline.tv_nsec) + Int(PostgresConnection.retryIntervalMilliseconds) * 1_000_000
        deadline.tv_sec += ns / 1_000_000_000
        deadline.tv_nsec = ns % 1_000_000_000
        pthread_cond_timedwait(wakeWriter, mutex, &deadline)
    }
}
