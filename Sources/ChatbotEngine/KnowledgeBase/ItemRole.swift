/// What an item is for, from its id: the Usine à chatbots' reserved ids and small talk.
///
/// - `phrase_presentation`: the welcome message, sent when a conversation starts;
/// - `phrase_hors_sujet`: the fallback message; its questions are examples of out-of-scope
///   input, so a question that lands on it is a fallback;
/// - `phrase_feedback`: sent after the user gives feedback;
/// - `st_…`: small talk; answers as usual, never suggested, never counted as "most asked".
public enum ItemRole: String, Sendable, Equatable, CaseIterable {
    case ordinary
    case welcome
    case fallback
    case feedback
    case smallTalk = "small_talk"

    public static let welcomeID = "phrase_presentation"
    public static let fallbackID = "phrase_hors_sujet"
    public static let feedbackID = "phrase_feedback"
    public static let smallTalkPrefix = "st_"

    public init(id: String) {
        switch id {
        case Self.welcomeID: self = .welcome
        case Self.fallbackID: self = .fallback
        case Self.feedbackID: self = .feedback
        default: self = id.hasPrefix(Self.smallTalkPrefix) ? .smallTalk : .ordinary
        }
    }

    /// Reserved ids need no question: they are reached by their role, not by matching.
    public var isReserved: Bool { self == .welcome || self == .fallback || self == .feedback }

    /// Whether an item with this role may be offered as a suggestion.
    public var isSuggestible: Bool { self == .ordinary }
}
