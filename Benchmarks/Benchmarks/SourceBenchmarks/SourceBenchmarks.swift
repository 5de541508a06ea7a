import Benchmark
import ChatbotEngine
import KnowledgeSources

/// The Usine side: reading a template and building the reply. Self-contained data (a
/// generated CSV export of the template: 1,000 items of five rows), so no download is needed;
/// the `.xlsx` path is measured end to end by Benchmarks/import_workbook.py.
let topics = ["congé", "badge", "salaire", "mutuelle", "télétravail", "parking", "formation", "mission", "retraite", "cantine"]

/// A 5,000-row CSV export of the template, as French Excel writes it (`;`, quoted fields).
func templateCSV(items: Int) -> [UInt8] {
    var text = "ID;Catégorie;Question;Type de réponse;Réponse(s);;\"Questions synonymes (à séparer par un point-virgule ;)\";Expire le (DD/MM/YYYY)\n"
    for i in 0..<items {
        let topic = topics[i % topics.count]
        text += "item_\(i);Catégorie \(i % 12);Question \(i) sur le \(topic) numéro \(i * 7 % 101) ?;Texte;Réponse \(i) : pour le \(topic), consultez le portail RH.;;\"Autre question \(i) sur le \(topic); comment faire pour le \(topic) \(i); \(topic) \(i) procédure\";01/\(1 + i % 12 < 10 ? "0" : "")\(1 + i % 12)/2030\n"
        text += ";;;Image;https://intranet.example/\(i).png;;;\n"
        text += ";;;Texte;Pour aller plus loin sur le \(topic) :;;;\n"
        text += ";;;Lien;\"Le portail <https://rh.example/\(i)>; Voir aussi <item_\((i + 1) % items)>\";;;\n"
        text += ";;;Texte;Autre chose ?;;;\n"
    }
    return Array(text.utf8)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5))
    let csv = templateCSV(items: 1000)

    Benchmark("template import: CSV export, 5,000 rows, every check",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try KnowledgeSource.parse(bytes: csv, fileName: "modele.csv", format: .csv))
        }
    }

    guard let kb = try? KnowledgeSource.parse(bytes: csv, fileName: "modele.csv", format: .csv) else {
        print("SourceBenchmarks: the generated template does not parse")
        return
    }
    var learning = LearningOptions()
    learning.enabled = false
    guard let engine = try? Engine.build(kb, learning: learning) else { return }
    let questions = (0..<200).map { "comment faire pour le \(topics[$0 % topics.count]) \($0 * 5)" }

    // The reply's cost on the hot path: the same questions with and without it.
    for buildsReply in [true, false] {
        Benchmark("match on the template base, top-5, \(buildsReply ? "with" : "without") the reply",
                  configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions], scalingFactor: .one)) { benchmark in
            var options = MatchOptions()
            options.buildsReply = buildsReply
            var i = 0
            for _ in benchmark.scaledIterations {
                blackHole(try engine.match(questions[i % questions.count], options: options))
                i += 1
            }
        }
    }
}
