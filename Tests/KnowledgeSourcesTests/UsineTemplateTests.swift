import ChatbotErrors
import ChatbotEngine
@testable import KnowledgeSources
import Spreadsheet
import Testing

/// The Usine template read from CSV exports: every rule and every diagnostic. The same
/// reader serves `.xlsx` and `.ods` sheets (see `SpreadsheetSourceTests`).
@Suite struct UsineTemplateTests {
    static let header = "ID;Catégorie;Question;Type de réponse;Réponse(s);;\"Questions synonymes (à séparer par un point-virgule ;)\";Expire le (DD/MM/YYYY)\n"

    func parse(_ body: String, header: String = UsineTemplateTests.header) throws -> KnowledgeBase {
        try KnowledgeSource.parse(bytes: Array((header + body).utf8), fileName: "kb.csv", format: .csv)
    }

    /// The diagnostics of a refused file as "ROW COLUMN code".
    func refusal(_ body: String, header: String = UsineTemplateTests.header) -> [String] {
        do {
            _ = try parse(body, header: header)
            Issue.record("the file was accepted")
            return []
        } catch let report as ChatbotError {
            return report.diagnostics.map { "\($0.line) \($0.column ?? "-") \($0.code) \($0.severity.rawValue)" }
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func anItemSpansRowsAndEachRowIsAMessage() throws {
        let kb = try parse("""
            conges;RH;Comment poser un congé ?;Texte;Sur le portail RH.;;"Je veux poser des vacances; poser un jour ;";31/12/2030
            ;;;Image;https://intranet/conges.png;;;
            ;;;Texte;Liens utiles :;;;
            ;;;Lien;"Ouvrir le portail <https://rh>; Les RTT <rtt>";;;
            ;;;Texte;Autre chose ?;;;
            ;;;Réponse à choix;"Oui <rtt>;Non <conges>";;;
            rtt;RH;Combien de RTT ai-je ?;Texte;"12 jours

            par an.";;nombre de RTT;

            """)
        #expect(kb.items.map(\.id) == ["conges", "rtt"])
        let conges = kb.items[0]
        #expect(conges.questions == ["Comment poser un congé ?", "Je veux poser des vacances", "poser un jour"])
        #expect(conges.category == "RH")
        #expect(conges.expiresAt == CalendarDate(year: 2030, month: 12, day: 31))
        #expect(conges.messages == [
            .text("Sur le portail RH."),
            .image(url: "https://intranet/conges.png"),
            .text("Liens utiles :"),
            .buttons([Button(title: "Ouvrir le portail", target: .url("https://rh")), Button(title: "Les RTT", target: .item("rtt"))]),
            .text("Autre chose ?"),
            .quickReplies([Button(title: "Oui", target: .item("rtt")), Button(title: "Non", target: .item("conges"))]),
        ])
        // Runs of blank lines collapse to one line break.
        #expect(kb.items[1].messages == [.text("12 jours\npar an.")])
        #expect(kb.warnings.isEmpty)
    }

    @Test func reservedIDsNeedNoQuestionAndTheirAlternativesStayMatchable() throws {
        let kb = try parse("""
            phrase_presentation;;;Texte;Bonjour !;;Tu peux te présenter ?;
            phrase_hors_sujet;;;Texte;Hors sujet.;;;
            phrase_feedback;;;Texte;Merci pour votre avis.;;;
            faq;RH;Une question ?;Texte;Une réponse.;;Une autre ?;

            """)
        #expect(kb.items.map(\.id) == ["phrase_presentation", "phrase_hors_sujet", "phrase_feedback", "faq"])
        #expect(kb.items[0].questions == ["Tu peux te présenter ?"])
        #expect(kb.items[1].questions.isEmpty)
        #expect(kb.warnings.isEmpty)
    }

    @Test func aButtonTargetNeedsNoQuestion() throws {
        let kb = try parse("""
            menu;RH;Le menu ?;Texte;Choisissez :;;Menu;
            ;;;Réponse à choix;Détails <details>;;;
            details;;;Texte;Les détails.;;;

            """)
        #expect(kb.items[1].id == "details" && kb.items[1].questions.isEmpty)
    }

    @Test func idsAreNormalisedAsTheUsineDoes() throws {
        let kb = try parse("""
            Congés payés;RH;Q ?;Texte;R.;;Q2;
            menu;RH;Menu ?;Texte;Voir :;;Menu;
            ;;;Lien;Congés <Congés payés>;;;

            """)
        #expect(kb.items[0].id == "Conges_payes")
        #expect(kb.items[1].messages[1] == .buttons([Button(title: "Congés", target: .item("Conges_payes"))]))
    }

    @Test func headerMatchingIgnoresCaseAccentsAndExtraColumns() throws {
        let kb = try parse("x;RH;Question ?;texte;Réponse.;ignored;Autre ?;;note\n",
                           header: "id;categorie;QUESTION;Type de reponse;Reponse(s);Commentaire;Questions synonymes;Expire le;Notes\n")
        #expect(kb.items.map(\.questions) == [["Question ?", "Autre ?"]])
    }

    @Test func everyErrorOfTheFileIsReportedAtOnce() {
        let diagnostics = refusal("""
            ;;Sans ID;Texte;Réponse;;;
            a;RH;Question A ?;Texte;Réponse A;;Alt A;
            ;;Question sans ID ?;Texte;R;;;
            b;RH;Question B ?;;Réponse sans type;;Alt B;
            c;RH;Question C ?;Texte;;;Alt C;
            d;RH;Question D ?;;;;Alt D;
            e;RH;Question E ?;Image;https://x/y.png;;Alt E;
            f;RH;Question F ?;Vidéo;https://x;;Alt F;
            g;RH;Question G ?;Texte;R;;Alt G;32/13/2020
            h;RH;Question H ?;Texte;R;;Alt H;
            ;;;Lien;Sans cible;;;
            i;RH;Question I ?;Texte;R;;Alt I;
            ;;;Lien;Vers rien <inconnu>;;;
            sans_question;RH;;Texte;R;;;

            """)
        #expect(diagnostics == [
            "2 A missing_id error",
            "4 A missing_id error",
            "5 D missing_type error",
            "6 E missing_answer error",
            "7 D missing_answer_and_type error",
            "8 D needs_text_before error",
            "9 D unknown_type error",
            "10 H invalid_expiry error",
            "12 E invalid_button error",
            "14 E unknown_target error",
            "15 C no_question error",
        ])
    }

    @Test func warningsDoNotRefuseTheFile() throws {
        let kb = try parse("""
            a;;Question A ?;Texte;R;;;
            b;RH;Question B ?;Texte;R;;Question A ?;
            c;RH;Question C ?;Texte;R;;Alt C;
            ;Autre;;Texte;R;;;
            st_salut;;Salut;Texte;Salut !;;Coucou;

            """)
        #expect(kb.warnings.map { "\($0.line) \($0.column ?? "-") \($0.code) \($0.severity.rawValue)" } == [
            "2 B no_category warning",
            "2 G no_alternatives warning",
            "3 - duplicate_question warning",
            "5 B category_conflict warning",
        ])
        #expect(kb.items.count == 4)
        // A small-talk item is not asked for a category.
        #expect(kb.items[3].category == "")
    }

    /// Real files reuse an ID for another question further down: both are kept, the later
    /// under a new ID, with a warning; rows that only add messages join the earlier item.
    @Test func aReusedIDIsKeptApartWithAWarning() throws {
        let kb = try parse("""
            st_bad;Conversation;Tu es mauvais.;Texte;Laisse-moi du temps.;;tu es nul;
            st_here;Conversation;Es-tu là ?;Texte;Oui.;;t'es là;
            st_bad;Conversation;C'est pas bien.;Texte;Mince.;;c'est horrible;
            st_here;;;Texte;Toujours là.;;;

            """)
        #expect(kb.items.map(\.id) == ["st_bad", "st_here", "st_bad_2"])
        #expect(kb.items[2].questions == ["C'est pas bien.", "c'est horrible"])
        #expect(kb.items[2].messages == [.text("Mince.")])
        #expect(kb.items[1].messages == [.text("Oui."), .text("Toujours là.")])
        #expect(kb.warnings.map { "\($0.line) \($0.code)" } == ["4 id_reused", "5 id_not_consecutive"])
    }

    @Test func anImageThatIsNotAWebAddressIsAWarning() throws {
        let kb = try parse("a;RH;Question ?;Texte;Voici :;;Alt;\n;;;Image;photo.png;;;\n")
        #expect(kb.warnings.map { "\($0.line) \($0.column ?? "-") \($0.code)" } == ["3 E image_url"])
        #expect(kb.items[0].messages.last == .image(url: "photo.png"))
    }

    @Test func anItemWithoutAnyAnswerIsAWarning() throws {
        let kb = try parse("phrase_feedback;;;;;;Merci pour le retour;\n")
        #expect(kb.warnings.map(\.code) == ["no_answer"])
        #expect(kb.items[0].questions == ["Merci pour le retour"])
    }

    @Test func messagesAreInFrenchAndNameTheProblem() {
        do {
            _ = try parse(";;Question ?;Texte;R;;;\n")
            Issue.record("accepted")
        } catch let report as ChatbotError {
            #expect(report.diagnostics.first?.message == "L'ID n'est pas renseigné.")
            #expect(report.diagnostics.first?.report == "kb.csv:2: error: L'ID n'est pas renseigné.")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aHeaderWithoutTheRequiredColumnsIsRefused() {
        #expect(refusal("a;Q;Texte\n", header: "ID;Question;Type de réponse\n") == ["1 - missing_column error"])
        #expect(refusal("", header: "ID;Question;Type de réponse;Réponse(s);Réponse(s)\n") == ["1 E duplicate_column error"])
        #expect(refusal("", header: UsineTemplateTests.header) == ["1 - no_items error"])
    }

    @Test func windows1252IsDecodedWithAWarning() throws {
        // "Congé" and "Catégorie" in Windows-1252: é is 0xE9, not valid UTF-8 on its own.
        var bytes = Array("ID;Cat".utf8) + [0xE9] + Array("gorie;Question;Type de r".utf8) + [0xE9]
        bytes += Array("ponse;R".utf8) + [0xE9] + Array("ponse(s);;Questions synonymes\n".utf8)
        bytes += Array("conges;RH;Poser un cong".utf8) + [0xE9] + Array(" ?;Texte;Sur le portail ".utf8) + [0x80] + Array(";;Vacances\n".utf8)
        let kb = try KnowledgeSource.parse(bytes: bytes, fileName: "kb.csv", format: .csv)
        #expect(kb.items[0].questions[0] == "Poser un congé ?")
        #expect(kb.items[0].messages == [.text("Sur le portail €")])
        #expect(kb.warnings.map(\.code) == ["windows_1252"])
    }

    @Test func theEnginesOwnCSVStillWorksAndAlsoFallsBackToWindows1252() throws {
        let kb = try KnowledgeSource.parse(bytes: Array("id;question\nconges;Poser un cong".utf8) + [0xE9] + [0x0A],
                                           fileName: "kb.csv", format: .csv)
        #expect(kb.items[0].questions == ["Poser un congé"])
        #expect(kb.warnings.map(\.code) == ["windows_1252"])
    }

    @Test func formatComesFromTheContentForAFileWithoutExtension() {
        #expect(KnowledgeSource.detect(Array("{\"items\": []}".utf8)) == .json)
        #expect(KnowledgeSource.detect(Array("a\tquestion\n".utf8)) == .tsv)
        #expect(KnowledgeSource.detect(Array("id;question\n".utf8)) == .csv)
        #expect(KnowledgeSource.detect([]) == nil)
    }

    @Test func anIDWithAControlCharacterIsRefusedInFrench() {
        // NUL, a line break (Alt+Entrée in a quoted cell), DEL and a C1 control, each on its row.
        let diagnostics = refusal("""
            ok;RH;Question ?;Texte;R;;Alt;
            con\u{0}ges;RH;Congés ?;Texte;R;;Alt 2;
            "badge
            perdu";RH;Badge ?;Texte;R;;Alt 3;
            rt\u{7F}t;RH;RTT ?;Texte;R;;Alt 4;
            paie\u{85};RH;Paie ?;Texte;R;;Alt 5;
            ;;;Image;https://x/y.png;;;

            """)
        #expect(diagnostics == ["3 A id_control_character error", "4 A id_control_character error",
                                "6 A id_control_character error"])
        do {
            _ = try parse("con\u{0}ges;RH;Congés ?;Texte;R;;Alt;\n")
            Issue.record("accepted")
        } catch let report as ChatbotError {
            #expect(report.errors.first?.message == "L'ID contient un caractère de contrôle invisible (U+0000, 4e caractère) : retirez-le. Un ID ne peut contenir ni caractère nul, ni tabulation, ni retour à la ligne.")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aWorkbookIDWithAControlCharacterIsRefused() throws {
        // The writer stores U+0000 as Excel does (`_x0000_`), which the reader decodes.
        let header: [CellValue?] = ["ID", "Catégorie", "Question", "Type de réponse", "Réponse(s)", nil,
                                    "Questions synonymes (à séparer par un point-virgule ;)"].map { $0.map { .text($0) } }
        let row: (String) -> [CellValue?] = { id in [.text(id), .text("RH"), .text("Question \(id.count) ?"), .text("Texte"), .text("R"), nil, .text("Alt \(id.count)")] }
        let bytes = try XLSXWriter.write(rows: [header, row("ok"), row("a\u{0}b"), row("c\td")])
        do {
            _ = try KnowledgeSource.parse(bytes: bytes, fileName: "kb.xlsx", format: .xlsx)
            Issue.record("accepted")
        } catch let report {
            #expect(report.errors.map { "\($0.line) \($0.column ?? "-") \($0.code)" } == ["3 A id_control_character", "4 A id_control_character"])
        }
    }

    @Test func columnLetters() {
        #expect([0, 1, 25, 26, 27, 701, 702].map(columnLetter) == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"])
    }
}
