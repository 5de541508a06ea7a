import ChatbotEngine
import FrenchText
import QuestionLog

/// A failure on its way out through the C interface: a status code and a message.
struct CallError: Error {
    var status: Status
    var message: String

    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// Maps any error thrown by the engine to a status. The message is the error's own
    /// description, which already names the file, line or setting involved.
    init(_ error: any Error) {
        switch error {
        case let e as CallError:
            self = e
        case let e as EngineError:
            switch e {
            case .source: self.init(.invalidSource, e.description)
            case .invalidIndex: self.init(.invalidIndex, e.description)
            case .io: self.init(.io, e.description)
            case .invalidArgument: self.init(.invalidArgument, e.description)
            case .invalidText: self.init(.invalidUTF8, e.description)
            case .outOfMemory: self.init(.outOfMemory, e.description)
            }
        case let e as SourceDiagnostic:
            self.init(.invalidSource, e.description)
        case let e as SourceReport:
            self.init(.invalidSource, e.description)
        case let e as FileError:
            self.init(.io, e.description)
        case let e as QuestionLogError:
            switch e {
            // A newer schema is reported as an I/O error too: the file cannot be used (see chatbot.h).
            case .database, .newerSchema: self.init(.io, e.description)
            case .unknownQuestion: self.init(.notFound, e.description)
            case .invalidArgument(let message):
                // A read-only open of a file that is not a question log.
                self.init(message.contains("is not a question log") ? .io : .invalidArgument, e.description)
            }
        case let e as TextError:
            self.init(.invalidUTF8, "\(e)")
        default:
            self.init(.internal, "unexpected error: \(error)")
        }
    }
}

/// Runs the body of a `cb_` function that returns a status: success resets the calling
/// thread's last error, any thrown error becomes a status code and a last-error message.
@inline(__always)
func withStatus(_ body: () throws -> Void) -> Int32 {
    do {
        try body()
        LastError.clear()
        return Status.ok.code
    } catch {
        let e = CallError(error)
        LastError.set(e.message)
        return e.status.code
    }
}
