import ChatbotErrors

/// The failures of the question log, with a message fit for a person.
extension ChatbotError {
    /// SQLite refused an operation (kind `io`): what was being done, SQLite's result code and message.
    static func database(_ what: String, code: Int32, message: String) -> ChatbotError {
        .io("question log: \(what): \(message) (SQLite code \(code))")
    }

    /// PostgreSQL refused an operation (kind `io`): what was being done, the server's
    /// message and SQLSTATE (none when the connection failed).
    static func postgres(_ what: String, message: String, sqlState: String?) -> ChatbotError {
        .io("question log: \(what): \(message)\(sqlState.map { " (SQLSTATE \($0))" } ?? "")")
    }

    /// The file was written by a newer version of the library (its schema version is
    /// higher): kind `io`, the file cannot be used (see chatbot.h).
    public static func newerSchema(path: String, found: Int, supported: Int) -> ChatbotError {
        ChatbotError(.io, "question log \(path) has schema version \(found), this library reads up to version \(supported): "
            + "upgrade libchatbot, or use another file", location: FileLocation(file: path))
    }

    /// No logged question has this id (kind `notFound`).
    public static func unknownQuestion(_ id: Int64) -> ChatbotError {
        .notFound("no logged question has id \(id)")
    }
}

