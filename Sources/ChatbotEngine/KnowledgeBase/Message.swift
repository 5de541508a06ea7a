/// One message of an answer, sent by the host as it is, in order.
///
/// An item's answer is a list of messages, as in the Usine à chatbots template where each
/// row is one message: a text, then perhaps an image, links or quick replies.
public enum Message: Sendable, Equatable {
    case text(String)
    /// An image, by URL.
    case image(url: String)
    /// Buttons shown with the previous message (the template's `Lien` / `Bouton` rows).
    case buttons([Button])
    /// Choices offered as the user's next message (the template's `Réponse à choix` rows).
    case quickReplies([Button])

    /// The type name used in JSON: "text", "image", "buttons", "quick_replies".
    public var typeName: String {
        switch self {
        case .text: "text"
        case .image: "image"
        case .buttons: "buttons"
        case .quickReplies: "quick_replies"
        }
    }

    /// The buttons of a `buttons` or `quick_replies` message; empty otherwise.
    public var buttons: [Button] {
        switch self {
        case .buttons(let b), .quickReplies(let b): b
        case .text, .image: []
        }
    }
}

/// A button or quick reply: a title, and where clicking it leads.
public struct Button: Sendable, Equatable {
    public var title: String
    public var target: ButtonTarget

    public init(title: String, target: ButtonTarget) {
        self.title = title
        self.target = target
    }
}

/// Where a button leads: a web page, or another item of the base, whose messages the host
/// fetches by id (`Engine.item(id:)`) without any matching.
public enum ButtonTarget: Sendable, Equatable {
    case url(String)
    case item(String)

    /// The template's rule: a target that looks like a URL opens it; anything else is an item id.
    public init(parsing target: String) {
        let lower = target.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:")
            || lower.hasPrefix("tel:") || lower.hasPrefix("www.") || lower.hasPrefix("/") {
            self = .url(target)
        } else {
            self = .item(target)
        }
    }
}

extension KnowledgeItem {
    /// The messages to send for this item: `messages`, or the plain `answer` as one text
    /// message when the source gave no structured answer (research bases: none at all).
    public var effectiveMessages: [Message] {
        if !messages.isEmpty { return messages }
        return answer.isEmpty ? [] : [.text(answer)]
    }

    /// The answer as plain text: `answer`, or the item's text messages one per paragraph.
    /// Kept for hosts that only show text (`cb_result_answer`).
    public var plainAnswer: String {
        if !answer.isEmpty { return answer }
        return messages.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined(separator: "\n\n")
    }
}
