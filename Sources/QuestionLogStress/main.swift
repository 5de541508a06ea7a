// Writes rows to a question log from several threads at once; the second process of
// QuestionLogTests' concurrency test.
//   QuestionLogStress LOG.db THREADS ROWS_PER_THREAD TAG
// Prints "ok N" (rows written) and exits 0, or prints the first failure and exits 1.
#if canImport(Glibc)
import Glibc
#endif
import ChatbotEngine
import QuestionLog

let args = CommandLine.arguments
guard args.count == 5, let threads = Int(args[2]), let rows = Int(args[3]) else {
    print("usage: QuestionLogStress LOG.db THREADS ROWS_PER_THREAD TAG")
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
            let r = QuestionRecord(conversation: "\(tag)-\(thread)", kind: .question, question: "question \(i) du fil \(thread)",
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
