import ChatbotErrors
import Dispatch
import Synchronization
import Testing
@testable import ChatbotC

/// The registry of live handles, with made-up addresses: the registry never dereferences
/// what it stores, and addresses below 1 MiB are never mapped, so they cannot collide with a
/// real handle. Each test uses its own range (tests run in parallel).
@Suite struct HandleRegistryTests {
    static func address(_ n: Int, base: Int) -> UnsafeRawPointer { UnsafeRawPointer(bitPattern: base + 16 * n)! }

    @Test func addLookUpRemove() throws {
        let p = Self.address(1, base: 0x1000)
        #expect(HandleRegistry.kind(of: p) == nil)
        try HandleRegistry.add(p, .result)
        #expect(HandleRegistry.kind(of: p) == .result)
        // Another kind is refused and left in place; a second removal finds nothing.
        #expect(HandleRegistry.remove(p, .engine) == .otherKind(.result))
        #expect(HandleRegistry.kind(of: p) == .result)
        #expect(HandleRegistry.remove(p, .result) == .removed)
        #expect(HandleRegistry.kind(of: p) == nil)
        #expect(HandleRegistry.remove(p, .result) == .unknown)
    }

    @Test func checkedMessages() throws {
        let p = Self.address(1, base: 0x2000)
        #expect(throws: ChatbotError.self) { try HandleRegistry.checked(nil, .engine, name: "engine") }
        do {
            _ = try HandleRegistry.checked(p, .engine, name: "engine")
            Issue.record("an unknown pointer was accepted")
        } catch {
            #expect(error.kind.status == .invalidArgument)
            #expect(error.message == "invalid or freed handle (expected an engine)")
        }
        try HandleRegistry.add(p, .log)
        do {
            _ = try HandleRegistry.checked(p, .engine, name: "engine")
            Issue.record("a log was accepted as an engine")
        } catch {
            #expect(error.message == "invalid or freed handle (expected an engine, got a question log)")
        }
        #expect(try HandleRegistry.checked(p, .log, name: "log") == p)
        try HandleRegistry.unregister(p, .log)
        #expect(throws: ChatbotError.self) { try HandleRegistry.unregister(p, .log) }
    }

    /// Random adds and removes against a model, over enough addresses to grow every shard
    /// several times and to make long probe runs (the addresses are consecutive, 16 apart):
    /// backward-shift deletion must keep every live entry reachable.
    @Test func matchesAModel() throws {
        let base = 0x10_0000 - 16 * 40_000
        var live: [Int: HandleKind] = [:]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(truncatingIfNeeded: state >> 1)
        }
        let kinds: [HandleKind] = [.engine, .result, .string, .diagnostics, .anonymizer, .log]
        for step in 0..<200_000 {
            let n = next() % 20_000 + (step > 100_000 ? 20_000 : 0) / 2
            let p = Self.address(n, base: base)
            if let kind = live[n] {
                if next() % 4 == 0 {
                    let wrong = kinds[(kinds.firstIndex(of: kind)! + 1) % kinds.count]
                    #expect(HandleRegistry.remove(p, wrong) == .otherKind(kind))
                } else {
                    #expect(HandleRegistry.remove(p, kind) == .removed)
                    live[n] = nil
                }
            } else {
                let kind = kinds[next() % kinds.count]
                try HandleRegistry.add(p, kind)
                live[n] = kind
            }
            if step % 20_000 == 0 {
                for m in 0..<30_000 where HandleRegistry.kind(of: Self.address(m, base: base)) != live[m] {
                    Issue.record("address \(m): registry says \(String(describing: HandleRegistry.kind(of: Self.address(m, base: base)))), model \(String(describing: live[m]))")
                    return
                }
            }
        }
        for (n, kind) in live { #expect(HandleRegistry.remove(Self.address(n, base: base), kind) == .removed) }
        for m in 0..<30_000 { #expect(HandleRegistry.kind(of: Self.address(m, base: base)) == nil) }
    }

    /// Threads add, look up and remove their own addresses while all of them look up one
    /// shared address (the shared engine): no entry is lost (and, under ThreadSanitizer, no race).
    @Test func concurrentUse() throws {
        let base = 0x1_0000
        let shared = Self.address(0, base: base)
        try HandleRegistry.add(shared, .engine)
        let threads = 4, perThread = 5_000
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var failed = 0
            for i in 0..<perThread {
                let p = Self.address(1 + t * perThread + i, base: base)
                if (try? HandleRegistry.add(p, .result)) == nil { failed += 1 }
                if HandleRegistry.kind(of: Self.address(0, base: base)) != .engine { failed += 1 }
                if HandleRegistry.kind(of: p) != .result { failed += 1 }
                if i % 2 == 0, HandleRegistry.remove(p, .result) != .removed { failed += 1 }
            }
            for i in stride(from: 1, to: perThread, by: 2) {
                if HandleRegistry.remove(Self.address(1 + t * perThread + i, base: base), .result) != .removed { failed += 1 }
            }
            failures.count.add(failed, ordering: .relaxed)
        }
        #expect(failures.count.load(ordering: .relaxed) == 0)
        #expect(HandleRegistry.remove(shared, .engine) == .removed)
    }
}

final class Failures: Sendable {
    let count = Atomic<Int>(0)
}

@Suite struct StatusMappingTests {
    /// Every kind of failure has its own `cb_status`, and none is `CB_OK`: the C layer needs
    /// nothing but the kind to answer a host.
    @Test func everyKindHasItsOwnErrorStatus() {
        let statuses = ChatbotError.Kind.allCases.map(\.status.code)
        #expect(Set(statuses).count == ChatbotError.Kind.allCases.count)
        #expect(!statuses.contains(Status.ok.code))
    }

    @Test func aThrownErrorBecomesItsStatusAndTheLastError() {
        let status = withStatus { () throws(ChatbotError) in throw .notFound("no logged question has id 3") }
        #expect(status == Status.notFound.code)
        #expect(String(cString: LastError.current) == "no logged question has id 3")
        #expect(withStatus {} == Status.ok.code)
    }
}
