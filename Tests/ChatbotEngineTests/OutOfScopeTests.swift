import Testing
@testable import ChatbotEngine

#if canImport(Glibc)
import Glibc
#endif

/// Questions a knowledge base cannot answer must not be answered.
@Suite struct OutOfScopeInputTests {
    /// A hand-written helpdesk base (HR and IT), in the style a host would write.
    static let helpdesk: [KnowledgeItem] = [
        KnowledgeItem(id: "conges", questions: ["Comment poser des congés ?", "Je veux prendre des vacances", "demande de congé annuel",
                                                "combien de jours de congés me reste-t-il", "poser une semaine de repos"], answer: "Portail RH."),
        KnowledgeItem(id: "salaire", questions: ["Quand le salaire est-il versé ?", "date de versement de la paie",
                                                 "je n'ai pas reçu mon salaire", "à quelle date suis-je payé"], answer: "Le 28."),
        KnowledgeItem(id: "bulletin", questions: ["où trouver mon bulletin de paie", "télécharger ma fiche de paie",
                                                  "je n'ai pas reçu ma fiche de paie"], answer: "Coffre-fort numérique."),
        KnowledgeItem(id: "teletravail", questions: ["Puis-je télétravailler ?", "combien de jours de télétravail par semaine",
                                                     "demander du télétravail", "travailler depuis chez moi"], answer: "Deux jours."),
        KnowledgeItem(id: "mutuelle", questions: ["Comment adhérer à la mutuelle ?", "ajouter mon conjoint à la mutuelle",
                                                  "remboursement des lunettes par la mutuelle"], answer: "Formulaire."),
        KnowledgeItem(id: "motdepasse", questions: ["j'ai oublié mon mot de passe", "réinitialiser mon mot de passe",
                                                    "mon compte est bloqué", "changer de mot de passe"], answer: "Libre-service."),
        KnowledgeItem(id: "vpn", questions: ["le VPN ne se connecte pas", "comment installer le VPN",
                                             "accéder au réseau depuis la maison"], answer: "Guide VPN."),
        KnowledgeItem(id: "imprimante", questions: ["l'imprimante ne marche pas", "ajouter une imprimante",
                                                    "imprimer en couleur", "bourrage papier"], answer: "Ticket."),
        KnowledgeItem(id: "materiel", questions: ["commander un nouvel ordinateur", "mon écran est cassé",
                                                  "demander un deuxième écran", "remplacer ma souris"], answer: "Catalogue."),
        KnowledgeItem(id: "notes", questions: ["comment déclarer mes notes de frais", "remboursement des frais de déplacement",
                                               "note de frais refusée"], answer: "Outil de frais."),
        KnowledgeItem(id: "formation", questions: ["m'inscrire à une formation", "catalogue des formations",
                                                   "utiliser mon compte personnel de formation"], answer: "Plateforme."),
        KnowledgeItem(id: "badge", questions: ["j'ai perdu mon badge", "mon badge ne fonctionne plus",
                                               "badge pour un visiteur"], answer: "Accueil."),
    ]

    static func outOfScopeLines() throws -> [String] {
        let path = String(#filePath).split(separator: "/").dropLast().joined(separator: "/") + "/Fixtures/out-of-scope-fr.txt"
        let text = String(decoding: try readFile("/" + path), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    @Test func outOfScopeSetIsLargeEnough() throws {
        let lines = try Self.outOfScopeLines()
        #expect(lines.count >= 40)
        #expect(Set(lines).count == lines.count)
    }

    @Test func outOfScopeQuestionsAreRarelyAnswered() throws {
        let engine = try Engine.build(KnowledgeBase(items: OutOfScopeInputTests.helpdesk))
        var answered: [String] = []
        let lines = try Self.outOfScopeLines() + ["", "   "]
        for q in lines {
            let r = try engine.match(q)
            if r.decision == .answer { answered.append(q) }
            if let top = r.matches.first { #expect(top.score < 0.9 || r.decision == .answer) }
        }
        // False-answer bound: at most 1 in 25.
        #expect(answered.count * 25 <= lines.count, "answered: \(answered)")
    }

    @Test func inScopeParaphrasesAreStillAnswered() throws {
        let engine = try Engine.build(KnowledgeBase(items: OutOfScopeInputTests.helpdesk))
        let probes = [("mot de passe oublié", "motdepasse"), ("ma fiche de paie", "bulletin"), ("imprimante en panne", "imprimante"),
                      ("badge perdu", "badge"), ("ajouter ma femme à la mutuelle", "mutuelle"), ("VPN installation", "vpn")]
        var answered = 0
        for (q, id) in probes {
            let r = try engine.match(q)
            #expect(r.matches.first?.id == id, "\(q)")
            if r.decision == .answer && r.matches.first?.id == id { answered += 1 }
        }
        #expect(answered >= probes.count / 2, "\(answered) of \(probes.count) answered")
    }
}
