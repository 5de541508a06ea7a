import ChatbotEngine
@testable import QuestionLog
import Testing

/// The background recorder: rows written in batches off the caller's thread, nothing lost
/// silently.
@Suite struct QuestionRecorderTests {
    @Test func everyQueuedRowIsWrittenAndStatisticsAgree() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        let log = try QuestionLog(path: dir + "/log.db")
        let recorder = QuestionRecorder(log: log)
        for r in fixture { #expect(recorder.record(r)) }
        recorder.flush()
        #expect(try log.count() == fixture.count)
        #expect(recorder.droppedCount == 0)
        // The same figures as rows written one by one.
        let direct = try QuestionLog(path: dir + "/direct.db")
        for r in fixture { direct.record(r) }
        let a = try log.statistics(sinceMilliseconds: nil, untilMilliseconds: nil, by: .week, allItems: [], top: 10)
        let b = try direct.statistics(sinceMilliseconds: nil, untilMilliseconds: nil, by: .week, allItems: [], top: 10)
        #expect(a.jsonValue == b.jsonValue)
    }

    @Test func releasingTheRecorderWritesWhatIsQueued() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        let log = try QuestionLog(path: dir + "/log.db")
        do {
            let recorder = QuestionRecorder(log: log)
            for _ in 0..<50 { for r in fixture { recorder.record(r) } }
        }
        #expect(try log.count() == 50 * fixture.count)
    }

    @Test func aFullQueueDropsAndCountsInsteadOfBlocking() throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        let log = try QuestionLog(path: dir + "/log.db")
        let recorder = QuestionRecorder(log: log, capacity: 1)
        var queued = 0
        for _ in 0..<200 { for r in fixture where recorder.record(r) { queued += 1 } }
        recorder.flush()
        #expect(try log.count() == queued)
        #expect(queued + recorder.droppedCount == 200 * fixture.count)
    }

    @Test func threadsShareOneRecorder() async throws {
        let dir = temporaryDirectory()
        defer { cleanup(dir) }
        let log = try QuestionLog(path: dir + "/log.db")
        let recorder = QuestionRecorder(log: log, capacity: 100_000)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for r in fixture { recorder.record(r) } } }
        }
        recorder.flush()
        #expect(try log.count() == 8 * fixture.count)
    }

    @Test func anUnwritableLogNeverBlocksTheRecorder() {
        let log = QuestionLog(recordingTo: "/nonexistent/dir/log.db")
        let recorder = QuestionRecorder(log: log)
        for r in fixture { recorder.record(r) }
        recorder.flush()
        #expect(log.firstFailure != nil)
        #expect(log.failureCount >= fixture.count)
    }
}
