import ChatbotErrors
@testable import ChatbotEngine
import Testing

/// Structured messages, reserved items, small talk, the reply and item lookup.
@Suite struct ReplyTests {
    static let portal = Button(title: "Ouvrir le portail", target: .url("https://rh"))
    static let rttButton = Button(title: "Les RTT", target: .item("rtt"))

    static let items: [KnowledgeItem] = [
        KnowledgeItem(id: "phrase_presentation", questions: [], messages: [.text("Bonjour, je suis l'assistant RH.")]),
        KnowledgeItem(id: "phrase_hors_sujet", questions: ["Quel temps fait-il demain ?", "Quelle est la capitale du Pérou ?"],
                      messages: [.text("Je ne réponds qu'aux questions RH.")]),
        KnowledgeItem(id: "phrase_feedback", questions: [], messages: [.text("Merci pour votre avis.")]),
        KnowledgeItem(id: "conges", category: "RH", questions: ["Comment poser un congé ?", "Je veux poser des vacances", "poser un jour de congé"],
                      messages: [.text("Sur le portail RH."), .image(url: "https://intranet/conges.png"), .buttons([portal, rttButton])]),
        KnowledgeItem(id: "rtt", category: "RH", questions: ["Combien de jours de RTT ai-je ?", "nombre de jours de RTT"],
                      messages: [.text("12 jours par an.")]),
        KnowledgeItem(id: "rtt_details", questions: [], messages: [.text("Les détails.")]),
        KnowledgeItem(id: "menu", category: "RH", questions: ["Le menu des jours"],
                      messages: [.text("Choisissez :"), .quickReplies([Button(title: "Détails", target: .item("rtt_details"))])]),
        KnowledgeItem(id: "st_bonjour", category: "Discussion", questions: ["Bonjour", "Salut", "Coucou"], messages: [.text("Bonjour !")]),
        KnowledgeItem(id: "badge", category: "Sécurité", questions: ["J'ai perdu mon badge", "badge perdu"], answer: "Appelez l'accueil."),
    ]

    static let cosineOnly: LearningOptions = {
        var l = LearningOptions()
        l.enabled = false
        return l
    }()

    static let engine: Engine = try! Engine.build(KnowledgeBase(items: items), learning: Self.cosineOnly)

    @Test func anAnswerRepliesWithTheItemsMessages() throws {
        let r = try Self.engine.match("Comment poser un congé ?")
        #expect(r.decision == .answer)
        #expect(r.reply == Self.items[3].messages)
        // The plain answer, for hosts that only show text.
        #expect(r.matches[0].answer == "Sur le portail RH.")
    }

    @Test func aPlainAnswerIsOneTextMessage() throws {
        let r = try Self.engine.match("J'ai perdu mon badge")
        #expect(r.reply == [.text("Appelez l'accueil.")])
    }

    @Test func aQuestionLandingOnTheOutOfScopeExamplesIsAFallback() throws {
        let r = try Self.engine.match("Quel temps fait-il demain ?")
        #expect(r.matches[0].id == "phrase_hors_sujet")
        #expect(r.matches[0].role == .fallback)
        #expect(r.decision == .fallback)
        #expect(r.reply.first == .text("Je ne réponds qu'aux questions RH."))
    }

    @Test func suggestionsAreButtonsToItemsAndSkipReservedAndSmallTalk() throws {
        let strict = DecisionSettings(answerThreshold: 1, ambiguityMargin: 0.05, suggestionFloor: 0.01, maxSuggestions: 5)
        let r = try Self.engine.match("bonjour poser congé RTT", options: MatchOptions(topK: 10, settings: strict))
        #expect(r.decision == .suggest)
        let offered = r.suggestions.map { r.matches[$0].id }
        #expect(!offered.isEmpty)
        #expect(offered.allSatisfy { ItemRole(id: $0) == .ordinary })
        #expect(r.matches.contains { $0.id == "st_bonjour" })
        #expect(r.suggestionCount == offered.count)
        #expect(r.reply.count == 2)
        #expect(r.reply[0] == .text(ReplyText.suggestionIntro))
        #expect(r.reply[1] == .buttons(r.suggestions.map { k in
            Button(title: Self.items.first { $0.id == r.matches[k].id }!.questions[0], target: .item(r.matches[k].id))
        }))
    }

    @Test func smallTalkAnswersAsUsual() throws {
        let r = try Self.engine.match("Bonjour")
        #expect(r.decision == .answer && r.matches[0].id == "st_bonjour" && r.matches[0].role == .smallTalk)
        #expect(r.reply == [.text("Bonjour !")])
    }

    @Test func aFallbackWithoutOutOfScopeItemSaysTheDefaultText() throws {
        let engine = try Engine.build(KnowledgeBase(items: [Self.items[8], Self.items[4]]), learning: Self.cosineOnly)
        let r = try engine.match("xyzzy plugh")
        #expect(r.decision == .fallback)
        #expect(r.reply == [.text(ReplyText.defaultFallback)])
        #expect(engine.fallbackMessages == [.text(ReplyText.defaultFallback)])
        #expect(engine.welcomeMessages.isEmpty)
    }

    @Test func perQuestionSettingsChangeTheDecision() throws {
        let always = DecisionSettings(answerThreshold: 0, ambiguityMargin: 0, suggestionFloor: 0)
        #expect(try Self.engine.match("poser", options: MatchOptions(settings: always)).decision == .answer)
        let never = DecisionSettings(answerThreshold: 1, ambiguityMargin: 1, suggestionFloor: 1)
        #expect(try Self.engine.match("Comment poser un congé ?", options: MatchOptions(settings: never)).decision != .answer)
        #expect(throws: ChatbotError.self) {
            try Self.engine.match("x", options: MatchOptions(settings: DecisionSettings(answerThreshold: 1.5, ambiguityMargin: 0, suggestionFloor: 0)))
        }
    }

    @Test func itemsAreFoundByIDWhetherMatchableOrNot() throws {
        let conges = try #require(try Self.engine.item(id: "conges"))
        #expect(conges.questions == Self.items[3].questions)
        #expect(conges.messages == Self.items[3].messages)
        #expect(conges.category == "RH")
        let welcome = try #require(try Self.engine.item(id: "phrase_presentation"))
        #expect(welcome.questions.isEmpty && welcome.messages == [.text("Bonjour, je suis l'assistant RH.")])
        #expect(Self.engine.welcomeMessages == [.text("Bonjour, je suis l'assistant RH.")])
        #expect(Self.engine.feedbackMessages == [.text("Merci pour votre avis.")])
        #expect(try Self.engine.item(id: "rtt_details")?.messages == [.text("Les détails.")])
        #expect(try Self.engine.item(id: "nope") == nil)
        #expect(try Self.engine.item(id: "") == nil)
        // Items without questions are never matched.
        #expect(Self.engine.itemCount == 6 && Self.engine.messageOnlyItemCount == 3)
    }

    @Test func messagesAndItemsSurviveTheIndexFile() throws {
        let reopened = try Engine(indexBytes: Self.engine.indexBytes)
        #expect(reopened.formatVersion == 4)
        for item in Self.items {
            let stored = try #require(try reopened.item(id: item.id))
            #expect(stored.effectiveMessages == item.effectiveMessages)
            #expect(stored.questions == item.questions)
        }
    }

    @Test func theExpiryDayIsReturnedAsADate() throws {
        var item = Self.items[8]
        item.expiresAt = CalendarDate(year: 2031, month: 2, day: 28)
        let engine = try Engine.build(KnowledgeBase(items: [item]), learning: Self.cosineOnly)
        #expect(try engine.item(id: "badge")?.expiresAt == CalendarDate(year: 2031, month: 2, day: 28))
        for days in [-1, 0, 59, 10_957, 11_016, 47_541] {
            let d = CalendarDate(daysSince1970: days)
            #expect(d.daysSince1970 == days, "\(d)")
        }
        #expect(CalendarDate(daysSince1970: 0) == CalendarDate(year: 1970, month: 1, day: 1))
        #expect(CalendarDate(daysSince1970: 11_016) == CalendarDate(year: 2000, month: 2, day: 29))
    }

    @Test func aButtonToAMissingItemIsRefused() {
        let broken = KnowledgeItem(id: "a", questions: ["q"], messages: [.buttons([Button(title: "t", target: .item("nowhere"))])])
        #expect(throws: ChatbotError.invalidArgument("item 'a': button 't' targets item 'nowhere', which is not in the base")) {
            try Engine.build(KnowledgeBase(items: [broken]))
        }
    }

    @Test func aBaseOfOnlyMessageItemsIsRefused() {
        #expect(throws: ChatbotError.invalidArgument("the knowledge base has no questions: no item can be matched")) {
            try Engine.build(KnowledgeBase(items: [Self.items[0]]))
        }
    }

    @Test func anOlderFormatCannotStoreMessageOnlyItems() {
        var builder = IndexBuilder(options: FeatureOptions(), decision: DecisionSettings(), synonymGroups: [])
        builder.formatVersion = 3
        #expect(throws: ChatbotError.self) { try builder.build(KnowledgeBase(items: Self.items)) }
    }

    @Test func aFormat3IndexStillReadsItsAnswerAsOneMessage() throws {
        var builder = IndexBuilder(options: FeatureOptions(), decision: DecisionSettings(), synonymGroups: [])
        builder.formatVersion = 3
        builder.learning.enabled = false
        let engine = try Engine(indexBytes: builder.build(KnowledgeBase(items: [Self.items[8], Self.items[4]])))
        #expect(engine.formatVersion == 3)
        #expect(try engine.match("J'ai perdu mon badge").reply == [.text("Appelez l'accueil.")])
        #expect(try engine.item(id: "rtt")?.messages == [.text("12 jours par an.")])
    }

    @Test func damagedMessageDataIsAnErrorNotACrash() throws {
        var reader = ByteReader(UnsafeBufferPointer(start: nil, count: 0))
        #expect(throws: ChatbotError.self) { try MessageCoding.decode(&reader) }
        var w = ByteWriter()
        MessageCoding.encode([.buttons([Self.portal]), .text("é")], into: &w)
        for cut in 0..<w.bytes.count {
            let prefix = Array(w.bytes[0..<cut])
            prefix.withUnsafeBufferPointer { p in
                var r = ByteReader(p)
                #expect(throws: ChatbotError.self) { try MessageCoding.decode(&r) }
            }
        }
        var huge = ByteWriter()
        huge.u32(UInt32.max)
        huge.bytes.withUnsafeBufferPointer { p in
            var r = ByteReader(p)
            #expect(throws: ChatbotError.self) { try MessageCoding.decode(&r) }
        }
        var badKind = ByteWriter()
        badKind.u32(1)
        badKind.u8(9)
        badKind.u32(0)
        badKind.bytes.withUnsafeBufferPointer { p in
            var r = ByteReader(p)
            #expect(throws: ChatbotError.invalidIndex("unknown message kind 9")) { try MessageCoding.decode(&r) }
        }
    }

    @Test func itemRolesComeFromIDs() {
        #expect(ItemRole(id: "phrase_presentation") == .welcome)
        #expect(ItemRole(id: "phrase_hors_sujet") == .fallback)
        #expect(ItemRole(id: "phrase_feedback") == .feedback)
        #expect(ItemRole(id: "st_merci") == .smallTalk)
        #expect(ItemRole(id: "conges") == .ordinary)
        #expect(ItemRole.allCases.filter(\.isSuggestible) == [.ordinary])
    }

    @Test func buttonTargetsFollowTheTemplatesRule() {
        #expect(ButtonTarget(parsing: "https://rh") == .url("https://rh"))
        #expect(ButtonTarget(parsing: "HTTP://x") == .url("HTTP://x"))
        #expect(ButtonTarget(parsing: "mailto:rh@x.fr") == .url("mailto:rh@x.fr"))
        #expect(ButtonTarget(parsing: "www.x.fr") == .url("www.x.fr"))
        #expect(ButtonTarget(parsing: "conges") == .item("conges"))
    }

    @Test func messagesHaveOneJSONShape() {
        #expect(Message.text("a\"b").jsonValue.serialized() == #"{"type":"text","text":"a\"b"}"#)
        #expect(Message.image(url: "u").jsonValue.serialized() == #"{"type":"image","url":"u"}"#)
        #expect(Message.quickReplies([Self.rttButton, Self.portal]).jsonValue.serialized()
                == #"{"type":"quick_replies","buttons":[{"title":"Les RTT","item":"rtt"},{"title":"Ouvrir le portail","url":"https://rh"}]}"#)
        let item = KnowledgeItem(id: "x", category: "C", questions: ["q", "r"], expiresAt: CalendarDate(year: 2030, month: 1, day: 2),
                                 messages: [.text("t")])
        #expect(item.itemJSON.serialized()
                == #"{"id":"x","category":"C","question":"q","alternatives":["r"],"messages":[{"type":"text","text":"t"}],"hidden":false,"expires":"2030-01-02"}"#)
        let d = SourceDiagnostic(file: "f.xlsx", line: 3, message: "m", severity: .warning, column: "B", code: "no_category")
        #expect(d.jsonValue.serialized() == #"{"severity":"warning","file":"f.xlsx","row":3,"column":"B","code":"no_category","message":"m"}"#)
        #expect(d.report == "f.xlsx:3: warning: m")
    }
}
