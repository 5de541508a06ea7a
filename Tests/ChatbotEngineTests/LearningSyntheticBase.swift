@testable import ChatbotEngine

/// Synthetic knowledge bases for the learning tests, generated from a seed.
///
/// Every item owns two keywords; a question is one of its keywords among filler words drawn
/// from a pool shared by all items. The filler carries no information about the item, so a
/// model that learns which words discriminate must beat nearest-question matching when a
/// query's filler happens to repeat another item's question.
struct SyntheticBase {
    var items: [KnowledgeItem] = []
    var keywords: [[String]] = []
    var filler: [String] = []
    private var rng: SeededGenerator

    /// Pronounceable pseudo-words: consonant–vowel syllables, distinct by construction.
    static func word(_ n: Int, syllables: Int = 3) -> String {
        let consonants = Array("bdfgklmnprstvz"), vowels = Array("aeiou")
        var s = "", x = n
        for _ in 0..<syllables {
            s.append(consonants[x % consonants.count])
            x /= consonants.count
            s.append(vowels[x % vowels.count])
            x /= vowels.count
        }
        return s
    }

    init(itemCount: Int, questionsPerItem: Int, fillerCount: Int = 40, fillerPerQuestion: Int = 4, seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        // Keywords and filler come from disjoint ranges of word numbers.
        filler = (0..<fillerCount).map { Self.word(7 * $0 + 3) }
        for i in 0..<itemCount {
            let k = [Self.word(50_000 + 13 * (2 * i)), Self.word(50_000 + 13 * (2 * i + 1))]
            keywords.append(k)
            let questions = (0..<questionsPerItem).map { q in sentence(keyword: k[q % 2], fillerWords: fillerPerQuestion) }
            items.append(KnowledgeItem(id: "item\(i)", questions: questions, answer: "answer \(i)"))
        }
    }

    mutating func sentence(keyword: String, fillerWords: Int) -> String {
        var words = (0..<fillerWords).map { _ in filler[Int.random(in: 0..<filler.count, using: &rng)] }
        words.insert(keyword, at: Int.random(in: 0...words.count, using: &rng))
        return words.joined(separator: " ")
    }

    /// A new question for `item` made of one of its keywords and fresh filler.
    mutating func query(item: Int) -> String {
        sentence(keyword: keywords[item][Int.random(in: 0..<2, using: &rng)], fillerWords: 4)
    }

    /// A question for `item` whose filler is copied from a question of `other`: the trap for nearest-question matching.
    mutating func trap(item: Int, other: Int) -> String {
        let source = items[other].questions[0].split(separator: " ").map(String.init)
        let otherFiller = source.filter { !keywords[other].contains($0) }
        return ([keywords[item][0]] + otherFiller).joined(separator: " ")
    }

    var knowledgeBase: KnowledgeBase { KnowledgeBase(items: items) }
}
