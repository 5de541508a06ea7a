import ChatbotErrors
/// Turns a decision into the messages a host sends, as they are, in order.
///
/// - answer: the item's messages;
/// - suggest: a short French text, then one button per suggested item (title: its main
///   question; target: its id);
/// - fallback: `phrase_hors_sujet`'s messages (or a default French text when the base has
///   none), then the same suggestion buttons when some items passed the suggestion floor.
public enum ReplyText {
    /// Introduces suggestion buttons.
    public static let suggestionIntro = "Votre question est peut-être l'une de celles-ci :"
    /// The fallback message of a base without `phrase_hors_sujet`.
    public static let defaultFallback = "Je n'ai pas trouvé de réponse à votre question. Pouvez-vous la reformuler, ou contacter directement le service concerné ?"
}

/// Builds the messages of a decided match from the index's messages (see `ReplyText`).
struct ReplyComposer: Sendable {
    let image: IndexImage
    /// What the bot says when it has no answer: `phrase_hors_sujet`'s messages, or
    /// `ReplyText.defaultFallback`.
    let fallbackMessages: [Message]

    init(image: IndexImage, fallback: [Message]) {
        self.image = image
        fallbackMessages = fallback.isEmpty ? [.text(ReplyText.defaultFallback)] : fallback
    }

    func reply(to result: MatchResult) throws(ChatbotError) -> [Message] {
        var messages: [Message] = []
        switch result.decision {
        case .answer:
            return try image.itemMessages(result.matches[0].itemIndex)
        case .suggest:
            break
        case .fallback:
            messages = fallbackMessages
        }
        if !result.suggestions.isEmpty {
            messages.append(.text(ReplyText.suggestionIntro))
            messages.append(.buttons(result.suggestions.map { k in
                let item = result.matches[k].itemIndex
                return Button(title: image.questionText(Int(image.items[item].firstQuestion)), target: .item(result.matches[k].id))
            }))
        }
        return messages
    }
}

extension Engine {
    /// What the bot says when it has no answer: `phrase_hors_sujet`'s messages, or
    /// `ReplyText.defaultFallback`.
    public var fallbackMessages: [Message] { replies.fallbackMessages }

    /// The welcome message (`phrase_presentation`), empty when the base has none.
    public var welcomeMessages: [Message] { reservedMessages[.welcome] ?? [] }

    /// The message sent after the user gives feedback (`phrase_feedback`), empty when the base has none.
    public var feedbackMessages: [Message] { reservedMessages[.feedback] ?? [] }
}
