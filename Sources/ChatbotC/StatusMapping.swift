import ChatbotErrors

extension ChatbotError.Kind {
    /// The `cb_status` of this kind of failure: the one mapping from the library's errors to
    /// the C interface's codes.
    var status: Status {
        switch self {
        case .invalidArgument: .invalidArgument
        case .io: .io
        case .invalidIndex: .invalidIndex
        case .invalidSource: .invalidSource
        case .invalidUTF8: .invalidUTF8
        case .outOfMemory: .outOfMemory
        case .internal: .internal
        case .notFound: .notFound
        }
    }
}

/// Runs the body of a `cb_` function that returns a status: success resets the calling
/// thread's last error, a thrown error becomes its kind's status code and a last-error
/// message (the error's own description, which already names the file, line or setting).
@inline(__always)
func withStatus(_ body: () throws(ChatbotError) -> Void) -> Int32 {
    do {
        try body()
        LastError.clear()
        return Status.ok.code
    } catch {
        LastError.set(error.description)
        return error.kind.status.code
    }
}
