#if canImport(Glibc)
import Glibc
#endif
import ChatbotErrors
import Dispatch

/// Below this matrix size a second thread costs more (≈20 µs dispatch) than it saves,
/// and above L3 the scan is memory-bound anyway (perf-x86.md).
let parallelThresholdBytes = 32 << 20

/// Online processor count (at least 1).
let onlineProcessorCount: Int = {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}()

/// Thread count for a scan: explicit counts are honoured (capped by rows); `nil` picks
/// one thread below `parallelThresholdBytes`, all online processors above.
func resolveThreads(_ threads: Int?, rows: Int, scannedBytes: Int) throws(ChatbotError) -> Int {
    if let threads {
        guard threads >= 1 else { throw .invalidArgument("threads must be ≥ 1, got \(threads)") }
        return max(1, min(threads, rows))
    }
    return scannedBytes >= parallelThresholdBytes ? max(1, min(onlineProcessorCount, rows)) : 1
}

/// Splits `0..<rows` into `parts` contiguous ranges and runs `body` on each, concurrently
/// when `parts > 1`; results are returned in range order.
func forEachPartition<T>(rows: Int, parts: Int, _ body: (Range<Int>) -> T) -> [T] {
    if parts <= 1 { return [body(0..<rows)] }
    let results = UnsafeMutablePointer<T>.allocate(capacity: parts)
    defer { results.deallocate() }
    // Each iteration writes only its own slot, so no synchronisation is needed beyond
    // concurrentPerform's completion.
    withoutActuallyEscaping(body) { body in
        let box = UnsafeSendableBox(body: body, results: results)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let lo = rows * p / parts, hi = rows * (p + 1) / parts
            (box.results + p).initialize(to: box.body(lo..<hi))
        }
    }
    let out = Array(UnsafeBufferPointer(start: results, count: parts))
    results.deinitialize(count: parts)
    return out
}

/// Carries a non-Sendable closure and result buffer into concurrentPerform; safe because
/// the closure only reads immutable state and each task writes a distinct slot.
private struct UnsafeSendableBox<T>: @unchecked Sendable {
    let body: (Range<Int>) -> T
    let results: UnsafeMutablePointer<T>
}
