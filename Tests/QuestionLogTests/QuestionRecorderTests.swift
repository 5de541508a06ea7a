import ChatbotEngine
@testable import QuestionLog
import Testing

/// The background recorder: rows written in batches off the caller's thread, nothing lost
/// silently.
@Suite struct QuestionRecorderTests {
    @Test(arguments: Backend.available) func everyQueuedRowIsWrittenAndStatisticsAgree(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try QuestionLog(path: store.location)
        let recorder = QuestionRecorder(log: log)
        for r in fixture { #expect(recorder.record(r)) }
        recorder.flush()
        #expect(try log.count() == fixture.count)
        #expect(recorder.droppedCount == 0)
        // The same figures as rows written one by one.
        let directStore = try TestStore(backend)
        defer { directStore.remove() }
        let direct = try QuestionLog(path: directStore.location)
        for r in fixture { direct.record(r) }
        let a = try log.statistics(sinceMilliseconds: nil, untilMilliseconds: nil, by: .week, allItems: [], top: 10)
        let b = try direct.statistics(sinceMilliseconds: nil, untilMilliseconds: nil, by: .week, allItems: [], top: 10)
        #expect(a.jsonValue == b.jsonValue)
    }

    @Test(arguments: Backend.available) func releasingTheRecorderWritesWhatIsQueued(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try QuestionLog(path: store.location)
        do {
            let recorder = QuestionRecorder(log: log)
            for _ in 0..<50 { for r in fixture { recorder.record(r) } }
        }
        #expect(try log.count() == 50 * fixture.count)
    }

    @Test(arguments: Backend.available) func aFullQueueDropsAndCountsInsteadOfBlocking(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try QuestionLog(path: store.location)
        let recorder = QuestionRecorder(log: log, capacity: 1)
        var queued = 0
        for _ in 0..<200 { for r in fixture where recorder.record(r) { queued += 1 } }
        recorder.flush()
        #expect(try log.count() == queued)
        #expect(queued + recorder.droppedCount == 200 * fixture.count)
    }

    @Test(arguments: Backend.available) func threadsShareOneRecorder(_ backend: Backend) async throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try QuestionLog(path: store.location)
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

/// Personal data never reaches the log file.
@Suite struct MaskingTests {
    static let personal = "Je suis joignable au 06 12 34 56 78 ou à jean.dupont@exemple.fr, merci"

    func record(_ text: String) -> QuestionRecord {
        QuestionRecord(conversation: "c", kind: .question, question: text, decision: .fallback, matches: [], bestItem: nil,
                       bestConfidence: nil, bestCategory: nil, replyJSON: "[]", latencyMicroseconds: 1, knowledgeBaseVersion: "t")
    }

    @Test(arguments: Backend.available) func questionsAreMaskedBeforeTheyAreStored(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try QuestionLog(path: store.location)
        let id = try #require(log.record(record(Self.personal)))
        let recorder = QuestionRecorder(log: log)
        recorder.record(record(Self.personal))
        recorder.flush()
        #expect(try log.question(id: id)?.question == "Je suis joignable au [TELEPHONE] ou à [EMAIL], merci")
        #expect(try log.inbox(band: nil, limit: 10).allSatisfy { $0.question == "Je suis joignable au [TELEPHONE] ou à [EMAIL], merci" })
        // Nothing of it is left in the file's bytes either.
        if backend == .sqlite {
            let bytes = try readFile(store.location) + ((try? readFile(store.location + "-wal")) ?? [])
            #expect(!String(decoding: bytes, as: UTF8.self).contains("jean.dupont"))
        }
    }

    @Test(arguments: Backend.available) func aHostMayTurnMaskingOff(_ backend: Backend) throws {
        let store = try TestStore(backend)
        defer { store.remove() }
        let log = try QuestionLog(path: store.location, masking: nil)
        let id = try #require(log.record(record(Self.personal)))
        #expect(try log.question(id: id)?.question == Self.personal)
    }
}
