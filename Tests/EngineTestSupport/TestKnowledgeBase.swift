import ChatbotEngine

/// A small HR knowledge base written for the tests.
package enum TestKnowledgeBase {
    package static var items: [KnowledgeItem] {
        [
            KnowledgeItem(id: "conges", category: "RH",
                          questions: ["Comment poser des congés ?", "Je veux prendre des vacances", "demande de congé annuel"],
                          answer: "Sur le portail RH, rubrique Absences."),
            KnowledgeItem(id: "salaire", category: "Paie",
                          questions: ["Quand le salaire est-il versé ?", "date de versement de la paie"],
                          answer: "Le 28 de chaque mois."),
            KnowledgeItem(id: "teletravail", category: "RH",
                          questions: ["Puis-je télétravailler ?", "combien de jours de télétravail par semaine"],
                          answer: "Deux jours par semaine."),
            KnowledgeItem(id: "mutuelle", category: "Avantages",
                          questions: ["Comment adhérer à la mutuelle ?"],
                          answer: "Remplissez le formulaire d'adhésion."),
            KnowledgeItem(id: "secret", category: "RH", questions: ["question cachée sur les congés"],
                          answer: "caché", hidden: true),
            KnowledgeItem(id: "ancien", category: "RH", questions: ["prime exceptionnelle de fin d'année 2020"],
                          answer: "expirée", expiresAt: CalendarDate(year: 2021, month: 1, day: 31)),
        ]
    }

    package static func engine(settings: DecisionSettings = DecisionSettings()) throws -> Engine {
        try Engine.build(KnowledgeBase(items: items), settings: settings)
    }
}
