import ArgumentParser
import FrenchText

struct StemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stem",
        abstract: "Stem one lowercase word per stdin line with the Snowball French stemmer."
    )

    func run() throws {
        let stemmer = FrenchStemmer()
        var out = OutputBuffer()
        try forEachStdinLine { line in
            out.write(stemmer.stem(line))
            out.write("\n")
        }
        out.flush()
    }
}
