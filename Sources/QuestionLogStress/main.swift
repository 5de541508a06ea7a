// Writes rows to a question log from several threads at once; the other processes of
// QuestionLogTests' concurrency tests. LOG is a file or a postgresql:// location.
//   QuestionLogStress LOG THREADS ROWS_PER_THREAD TAG
// Prints "ok N" (rows written) and exits 0, or prints the first failure and exits 1.
//   QuestionLogStress LOG review EXPECTED
// A reviewer: archives every question of the inbox, again and again, until the log holds
// EXPECTED rows and none is left (at most 120 s). Prints "changed N": the archive actions
// that changed a row (another reviewer may have done the same one first).
//   QuestionLogStress LOG bench ROWS
// Measures logging: ROWS rows written one by one (`QuestionLog.record`, one transaction
// each), then ROWS rows through a `QuestionRecorder` (what a match pays is its `record`
// call; the writer batches). Prints rows/s and the p50 / p99 / max of one call, in µs.
#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import ChatbotEngine
import QuestionLog

let args = CommandLine.arguments
if args.count == 4 && args[2] == "review", let expected = Int(args[3]) {
    do {
        let log = try QuestionLog(path: args[1])
        var changed = 0
        let start = monotonicSeconds()
        while monotonicSeconds() - start < 120 {
            let batch = try log.inbox(band: nil, limit: 200)
            for q in batch where try log.archive(q.id) == .changed { changed += 1 }
            if batch.isEmpty {
                if try log.count() >= expected && log.inbox(band: nil, limit: 1).isEmpty { break }
                usleep(20_000)
            }
        }
        print("changed \(changed)")
        exit(0)
    } catch {
        print("failure \(error)")
        exit(1)
    }
}
if args.count == 4 && args[2] == "bench", let n = Int(args[3]), n > 0 {
    func row(_ i: Int) -> QuestionRecord {
        QuestionRecord(conversation: "bench-\(i % 50)", kind: .question, question: "Comment poser des congés payés ? (\(i))",
                       decision: .answer, matches: [LoggedMatch(id: "conges", score: 0.97), LoggedMatch(id: "rtt", score: 0.02)],
                       bestItem: "conges", bestConfidence: 0.97, bestCategory: "RH",
                       replyJSON: #"[{"type":"text","text":"Les congés se posent dans l'outil RH."}]"#,
                       latencyMicroseconds: 40, knowledgeBaseVersion: "bench")
    }
    func summary(_ label: String, _ calls: [Double], total: Double) {
        let sorted = calls.sorted()
        func at(_ p: Double) -> Double { sorted[Int((p * Double(sorted.count - 1)).rounded())] * 1e6 }
        print("\(label): \(Int(Double(n) / total)) rows/s; one call p50 \(Int(at(0.5))) µs, p99 \(Int(at(0.99))) µs, max \(Int(sorted.last! * 1e6)) µs")
    }
    do {
        let log = try QuestionLog(path: args[1])
        var calls: [Double] = []
        calls.reserveCapacity(n)
        var start = monotonicSeconds()
        for i in 0..<n {
            let t = monotonicSeconds()
            guard log.record(row(i)) != nil else { throw log.firstFailure ?? .io("record failed") }
            calls.append(monotonicSeconds() - t)
        }
        summary("synchronous (QuestionLog.record)", calls, total: monotonicSeconds() - start)
        calls.removeAll(keepingCapacity: true)
        let recorder = QuestionRecorder(log: log, capacity: n)
        start = monotonicSeconds()
        for i in 0..<n {
            let t = monotonicSeconds()
            recorder.record(row(i))
            calls.append(monotonicSeconds() - t)
        }
        recorder.flush()
        summary("queued (QuestionRecorder.record, written in batches)", calls, total: monotonicSeconds() - start)
        guard recorder.droppedCount == 0, log.failureCount == 0 else { throw ChatbotError.io("rows were lost") }
        exit(0)
    } catch {
        print("failure \(error)")
        exit(1)
    }
}
func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
guard args.count == 5, let threads = Int(args[2]), let rows = Int(args[3]) else {
    print("usage: QuestionLogStress LOG THREADS ROWS_PER_THREAD TAG | QuestionLogStress LOG review EXPECTED | QuestionLogStress LOG bench ROWS")
    exit(2)
}
final class Worker: @unchecked Sendable {
    let log: QuestionLog, tag: String, thread: Int, rows: Int
    var written = 0
    init(log: QuestionLog, tag: String, thread: Int, rows: Int) {
        self.log = log
        self.tag = tag
        self.thread = thread
        self.rows = rows
    }
    func run() {
        for i in 0..<rows {
            let r = QuestionRecord(conversation: "\(tag)-\(thread)", kind: .question, question: "question \(i) du fil \(thread) de \(tag)",
                                   decision: .fallback, matches: [], bestItem: nil, bestConfidence: nil, bestCategory: nil,
                                   replyJSON: "[]", latencyMicroseconds: 1, knowledgeBaseVersion: tag)
            if log.record(r) != nil { written += 1 }
        }
    }
}

let log = QuestionLog(recordingTo: args[1])
let workers = (0..<threads).map { Worker(log: log, tag: args[4], thread: $0, rows: rows) }
/// Outside top-level code, whose closures would be main-actor isolated.
nonisolated func spawn(_ w: Worker) -> pthread_t {
    var thread = pthread_t()
    pthread_create(&thread, nil, { raw in
        Unmanaged<Worker>.fromOpaque(raw!).takeUnretainedValue().run()
        return nil
    }, Unmanaged.passUnretained(w).toOpaque())
    return thread
}
let handles = workers.map(spawn)
for h in handles { pthread_join(h, nil) }
if let failure = log.firstFailure {
    print("failure \(failure)")
    exit(1)
}
print("ok \(workers.reduce(0) { $0 + $1.written })")
