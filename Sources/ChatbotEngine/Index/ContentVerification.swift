import ChatbotErrors
import Synchronization

/// A check that runs once, on first demand, and whose outcome every later caller shares:
/// how an index opened without verifying its contents verifies them.
///
/// The first caller runs the check while holding the lock, so that concurrent callers wait
/// for it instead of answering from unchecked data; once it has run, one atomic load
/// answers every later call, so that the matcher's hot path pays nothing measurable.
final class ContentVerification: Sendable {
    private enum Outcome: Sendable {
        case pending
        case verified
        case failed(ChatbotError)
    }

    private let outcome = Mutex<Outcome>(.pending)
    private let verified = Atomic<Bool>(false)

    /// Runs `check` unless it has run already; throws its error, now and on every later call.
    func run(_ check: () throws(ChatbotError) -> Void) throws(ChatbotError) {
        if verified.load(ordering: .acquiring) { return }
        let result = outcome.withLock { outcome -> Outcome in
            if case .pending = outcome {
                do throws(ChatbotError) {
                    try check()
                    outcome = .verified
                } catch {
                    outcome = .failed(error)
                }
            }
            return outcome
        }
        switch result {
        case .verified: verified.store(true, ordering: .releasing)
        case .failed(let error): throw error
        case .pending: preconditionFailure("a verification ran without an outcome")
        }
    }
}
