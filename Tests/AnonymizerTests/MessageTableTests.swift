import Testing
import Anonymizer

/// HR-bot messages with their expected masked form, written out in full.
///
/// Every NIR, IBAN and card below was made up for these tests and given its check digits by
/// computation (NIR key = 97 − n mod 97, IBAN mod 97, Luhn); none is a real person's.
/// Look-alikes (dates, amounts, wrong keys…) expect the input unchanged.
let messageTable: [(input: String, expected: String)] = [
    // NIR
    ("Bonjour, mon numéro de sécu est 1 84 12 75 123 456 40, je n'ai pas reçu ma carte vitale",
     "Bonjour, mon numéro de sécu est [NIR], je n'ai pas reçu ma carte vitale"),
    ("Mon NIR : 184127512345640.", "Mon NIR : [NIR]."),
    ("numéro de sécurité sociale 2 92 08 69 388 012 47 pour la mutuelle",
     "numéro de sécurité sociale [NIR] pour la mutuelle"),
    ("Je suis née en Corse, mon numéro est 2 90 05 2A 004 012 66", "Je suis née en Corse, mon numéro est [NIR]"),
    ("sécu 185052B03100768 (Bastia)", "sécu [NIR] (Bastia)"),
    ("né à l'étranger : 2 88 10 99 352 017 55", "né à l'étranger : [NIR]"),
    ("numéro provisoire 7 99 02 13 055 111 91 en attente", "numéro provisoire [NIR] en attente"),
    ("Clé en fin : 1750133100247 10", "Clé en fin : [NIR]"),
    ("Le numéro 1 84 12 75 123 456 41 a-t-il une erreur ?", "Le numéro 1 84 12 75 123 456 41 a-t-il une erreur ?"),
    ("mon numéro 1 84 13 75 123 456 40 est refusé", "mon numéro 1 84 13 75 123 456 40 est refusé"),
    // Phones
    ("Vous pouvez me joindre au 06.12.34.56.78", "Vous pouvez me joindre au [TELEPHONE]"),
    ("Mon portable : 06 12 34 56 78, merci de me rappeler", "Mon portable : [TELEPHONE], merci de me rappeler"),
    ("tél 06-12-34-56-78 après 18h", "tél [TELEPHONE] après 18h"),
    ("appelez-moi au 0612345678 svp", "appelez-moi au [TELEPHONE] svp"),
    ("Depuis l'étranger : +33 6 12 34 56 78", "Depuis l'étranger : [TELEPHONE]"),
    ("+33612345678 est mon numéro pro", "[TELEPHONE] est mon numéro pro"),
    ("Le standard est au 0033 1 23 45 67 89.", "Le standard est au [TELEPHONE]."),
    ("Bureau : +33 (0)1 42 68 53 00", "Bureau : [TELEPHONE]"),
    ("fixe 01 42 68 53 00 ou portable 07.65.43.21.09", "fixe [TELEPHONE] ou portable [TELEPHONE]"),
    ("Le 09 87 65 43 21 ne répond pas", "Le [TELEPHONE] ne répond pas"),
    ("Ma référence est 06 12 34 56 78 90", "Ma référence est 06 12 34 56 78 90"),
    ("code 061234567 reçu par SMS", "code 061234567 reçu par SMS"),
    ("dossier 06123456789 en cours", "dossier 06123456789 en cours"),
    ("numéro 00 12 34 56 78 invalide", "numéro 00 12 34 56 78 invalide"),
    ("Il manque un chiffre : 06 12 34 56 7", "Il manque un chiffre : 06 12 34 56 7"),
    // E-mail
    ("Mon adresse est jean.dupont@entreprise.fr", "Mon adresse est [EMAIL]"),
    ("écrivez à rh-paie@groupe-exemple.com.", "écrivez à [EMAIL]."),
    ("Contact : élodie.martin@exemple.fr (RH)", "Contact : [EMAIL] (RH)"),
    ("Envoyez à <marie_claire+conges@mail.exemple.org>", "Envoyez à <[EMAIL]>"),
    ("Je n'ai pas d'adresse @entreprise, c'est normal ?", "Je n'ai pas d'adresse @entreprise, c'est normal ?"),
    // IBAN
    ("mon IBAN FR86 3000 4001 2300 0011 2233 M44 a changé", "mon IBAN [IBAN] a changé"),
    ("Nouveau RIB : FR9817512000019876543210123", "Nouveau RIB : [IBAN]"),
    ("iban fr98 1751 2000 0198 7654 3210 123 pour la paie", "iban [IBAN] pour la paie"),
    ("compte allemand DE54 1002 0030 1234 5678 90", "compte allemand [IBAN]"),
    ("IBAN belge BE86310123456789, merci", "IBAN belge [IBAN], merci"),
    ("Mon compte suisse CH93 0076 2011 6238 5295 7 est clôturé", "Mon compte suisse [IBAN] est clôturé"),
    ("IBAN FR87 3000 4001 2300 0011 2233 M44 refusé par la banque", "IBAN FR87 3000 4001 2300 0011 2233 M44 refusé par la banque"),
    ("IBAN FR86 3000 4001 2300 0011 2233 M4 incomplet", "IBAN FR86 3000 4001 2300 0011 2233 M4 incomplet"),
    // Cards
    ("J'ai payé avec la carte 4970 1012 3456 7893 hier", "J'ai payé avec la carte [CARTE] hier"),
    ("carte 4970-1012-3456-7893", "carte [CARTE]"),
    ("remboursement sur 4970101234567893 svp", "remboursement sur [CARTE] svp"),
    ("Amex 3714 496353 98431 débitée deux fois", "Amex [CARTE] débitée deux fois"),
    ("Mastercard 5130 1234 5678 9017, expire 09/27", "Mastercard [CARTE], expire 09/27"),
    ("carte 2223 0000 4840 0011 et 4111 1122 2233 3347", "carte [CARTE] et [CARTE]"),
    ("Diners 3601 2345 6789 01", "Diners [CARTE]"),
    ("numéro de commande 4970 1012 3456 7891", "numéro de commande 4970 1012 3456 7891"),
    ("ticket 1234567812345678 toujours ouvert", "ticket 1234567812345678 toujours ouvert"),
    ("SIRET 44306184100047 de l'établissement", "SIRET 44306184100047 de l'établissement"),
    // Several kinds in one message
    ("Je suis Paul, 06 12 34 56 78, paul.martin@exemple.fr, sécu 1 84 12 75 123 456 40",
     "Je suis Paul, [TELEPHONE], [EMAIL], sécu [NIR]"),
    ("Virement sur FR9817512000019876543210123 ou carte 4970 1012 3456 7893 ?", "Virement sur [IBAN] ou carte [CARTE] ?"),
    // Look-alikes that must stay
    ("Mon arrêt maladie commence le 12/03/2024", "Mon arrêt maladie commence le 12/03/2024"),
    ("date d'effet 2024-03-12, fin le 12.03.2025", "date d'effet 2024-03-12, fin le 12.03.2025"),
    ("La prime est de 1 234,56 € brut", "La prime est de 1 234,56 € brut"),
    ("remboursé 1234.50 EUR le 5 mai", "remboursé 1234.50 EUR le 5 mai"),
    ("rendez-vous à 10h30 ou 14:00 au 3e étage", "rendez-vous à 10h30 ou 14:00 au 3e étage"),
    ("J'habite au 12 rue de Vaugirard, 75015 Paris", "J'habite au 12 rue de Vaugirard, 75015 Paris"),
    ("selon le décret n° 2019-1234 du 12 novembre 2019", "selon le décret n° 2019-1234 du 12 novembre 2019"),
    ("voir la note 2023-0456 sur le télétravail", "voir la note 2023-0456 sur le télétravail"),
    ("Combien de jours de congé en 2024 ?", "Combien de jours de congé en 2024 ?"),
    ("J'ai 3 enfants et 25 jours de RTT", "J'ai 3 enfants et 25 jours de RTT"),
    ("Mon salaire net est de 2 345 678 901 234 € (je rêve)", "Mon salaire net est de 2 345 678 901 234 € (je rêve)"),
    ("Le ticket INC0012345 n'est pas traité", "Le ticket INC0012345 n'est pas traité"),
    ("comment poser mes congés payés ?", "comment poser mes congés payés ?"),
    ("Qui contacter pour la mutuelle ?", "Qui contacter pour la mutuelle ?"),
    ("dossier n° 2024-000123 du 01/02/2024", "dossier n° 2024-000123 du 01/02/2024"),
    ("version 1.2.3.4 de l'application", "version 1.2.3.4 de l'application"),
]

/// Placeholders in a text, in order: `[KIND]` with KIND in capitals.
func placeholders(in text: String) -> [String] {
    var found: [String] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "[") {
        let after = rest[rest.index(after: open)...]
        guard let close = after.firstIndex(of: "]") else { break }
        let name = after[..<close]
        if !name.isEmpty && name.allSatisfy({ $0.isUppercase || $0 == "_" }) { found.append(String(name)) }
        rest = after[after.index(after: close)...]
    }
    return found
}

@Suite struct MessageTableTests {
    let anonymizer = try! Anonymizer()

    @Test func tableHasSixtyMessagesAtLeast() {
        #expect(messageTable.count >= 60)
    }

    @Test(arguments: messageTable.indices)
    func message(_ index: Int) {
        let (input, expected) = messageTable[index]
        let result = anonymizer.anonymize(input)
        #expect(result.text == expected, "input: \(input)")
        #expect(result.redactions.map(\.kind) == placeholders(in: expected))
        // The redaction ranges cover the data in the original text.
        let bytes = Array(input.utf8)
        for r in result.redactions {
            #expect(r.range.lowerBound >= 0 && r.range.upperBound <= bytes.count)
        }
    }

    /// Precision and recall per placeholder, over the whole table (printed for the record).
    @Test func precisionAndRecall() {
        var truePositives = 0, falsePositives = 0, misses = 0
        for (input, expected) in messageTable {
            var wanted = placeholders(in: expected)
            for kind in anonymizer.anonymize(input).redactions.map(\.kind) {
                if let k = wanted.firstIndex(of: kind) {
                    wanted.remove(at: k)
                    truePositives += 1
                } else {
                    falsePositives += 1
                }
            }
            misses += wanted.count
        }
        let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
        let recall = Double(truePositives) / Double(max(1, truePositives + misses))
        print("anonymizer table: \(messageTable.count) messages, \(truePositives) redactions, "
              + "\(falsePositives) false positives, \(misses) misses, precision \(precision), recall \(recall)")
        #expect(falsePositives == 0)
        #expect(misses == 0)
    }
}
