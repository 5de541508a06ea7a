import ChatbotEngine

extension SmallTalkPack {
    /// Category of the pack's items.
    package static let category = "Discussion"

    /// The pack as knowledge items.
    package static var items: [KnowledgeItem] {
        entries.map { KnowledgeItem(id: $0.id, category: category, questions: $0.questions, messages: [.text($0.answer)]) }
    }

    /// `kb` with the pack's items appended; an id the base already has keeps the base's item
    /// (a team that wrote its own `st_bonjour` keeps it).
    package static func merged(into kb: KnowledgeBase) -> KnowledgeBase {
        var kb = kb
        let ids = Set(kb.items.map(\.id))
        let original = kb.items.count
        kb.items += items.filter { !ids.contains($0.id) }
        // Keep an explicit row order covering every question (the pack's come last).
        if !kb.sourceOrder.isEmpty {
            kb.sourceOrder += kb.items.indices.dropFirst(original).flatMap { i in
                kb.items[i].questions.indices.map { QuestionReference(item: i, question: $0) }
            }
        }
        return kb
    }
}
