// swift-tools-version:6.1
import PackageDescription

// With CHATBOT_CPU_FLAGS=1 (the Makefile sets it), every target is compiled for x86-64-v3
// (AVX2 + FMA, every server CPU since ~2015): without it swiftc targets baseline SSE2 and
// SIMD8<Float>.addProduct lowers to calls to fmaf (see README, "Portability"); and the
// kernels, whose bounds are proven by construction, run without runtime checks in release.
// These are unsafeFlags, which SwiftPM refuses in a package used as a versioned dependency,
// hence off by default: a Swift host gets the same machine code with
// `swift build -c release -Xswiftc -Xcc -Xswiftc -march=x86-64-v3`.
let cpuFlagsRequested = Context.environment["CHATBOT_CPU_FLAGS"] == "1"
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = cpuFlagsRequested ? [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])] : []
#else
let cpuFlags: [SwiftSetting] = []
#endif
let kernelFlags: [SwiftSetting] = cpuFlags + (cpuFlagsRequested ? [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))] : [])

let package = Package(
    name: "libchatbot",
    products: [
        // `chatbot` is the C library (libchatbot.so); the CLI therefore is `chatbot-cli`.
        .library(name: "chatbot", type: .dynamic, targets: ["ChatbotC"]),
        .executable(name: "chatbot-cli", targets: ["ChatbotCLI"]),
        // Swift API, used by the benchmark package and by Swift hosts: the runtime modules.
        .library(name: "ChatbotEngine", targets: ["ChatbotErrors", "ChatbotEngine", "FrenchText", "VectorSearch", "Spreadsheet", "KnowledgeSources", "Anonymizer", "QuestionLog"]),
        // The toolkit that libchatbot.so leaves out: evaluation, SVG charts, .npy files.
        .library(name: "ChatbotToolkit", targets: ["ChatbotEvaluation", "Plots", "NPYFiles"]),
        // Exact SIMD top-k search over dense vectors (float32, float16, int8; batches, threads),
        // for researchers and hosts that search their own embeddings.
        .library(name: "VectorSearch", targets: ["ChatbotErrors", "VectorSearch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // File access without Foundation (open, read, write, stat); 1.7 brings `Stat`.
        .package(url: "https://github.com/apple/swift-system", from: "1.7.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CUTF8Proc",
            pkgConfig: "libutf8proc",
            providers: [.apt(["libutf8proc-dev"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CExpat", pkgConfig: "expat", providers: [.apt(["libexpat1-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The one error type every module throws (typed throws), with the kinds of chatbot.h's statuses.
        .target(name: "ChatbotErrors"),
        .target(name: "FrenchText", dependencies: ["ChatbotErrors", "CUTF8Proc"], swiftSettings: cpuFlags),
        .target(name: "VectorSearch", dependencies: ["ChatbotErrors"], swiftSettings: kernelFlags),
        // Masks personal data (e-mail, phone, NIR, IBAN, card, host patterns) in French text; no Foundation.
        .target(name: "Anonymizer", dependencies: ["ChatbotErrors"], swiftSettings: cpuFlags),
        // sync_file_range, which Swift's Glibc module does not declare (Support/FileIO.swift).
        .target(name: "CFileSync", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .target(name: "ChatbotEngine", dependencies: ["ChatbotErrors", "FrenchText", "VectorSearch", "CFileSync",
                                                .product(name: "SystemPackage", package: "swift-system")], swiftSettings: cpuFlags),
        // The toolkit (CLI and benchmarks only, never libchatbot.so). Scores an engine against
        // labelled questions: metrics, cross-validation, threshold sweeps, comparisons.
        .target(name: "ChatbotEvaluation", dependencies: ["ChatbotEngine"], swiftSettings: cpuFlags),
        // Reads and writes dense float matrices in NumPy's .npy format.
        .target(name: "NPYFiles", dependencies: ["ChatbotEngine"], swiftSettings: cpuFlags),
        // Self-contained SVG charts: the threshold sweep and the answer rate over time.
        .target(name: "Plots", dependencies: ["ChatbotEvaluation", "QuestionLog"], swiftSettings: cpuFlags),
        // Reads the first sheet of .xlsx / .ods workbooks; no Foundation, knows nothing about chatbots.
        .target(name: "Spreadsheet", dependencies: ["ChatbotErrors", "CZlib", "CExpat"], swiftSettings: cpuFlags),
        // Knowledge-base sources: the Usine template (workbooks and CSV), the engine's own formats, small talk.
        .target(name: "KnowledgeSources", dependencies: ["ChatbotEngine", "FrenchText", "Spreadsheet",
                                                   .product(name: "SystemPackage", package: "swift-system")], swiftSettings: cpuFlags),
        // The question log, statistics and review inbox, in SQLite (libchatbot.so links libsqlite3).
        .target(name: "QuestionLog", dependencies: ["ChatbotEngine", "FrenchText", "Anonymizer", "CSQLite"], swiftSettings: cpuFlags),
        // Writes rows to a question log from several threads: the second process of the concurrency test.
        .executableTarget(name: "QuestionLogStress", dependencies: ["QuestionLog", "ChatbotEngine", "ChatbotErrors"], swiftSettings: cpuFlags),
        // chatbot.h's types for the C layer, and the default option structs (returned by value).
        // DWARF 4: valgrind 3.19 (Debian 12), which the C tests run under, cannot read clang's
        // default DWARF 5 once it is linked into libchatbot.so.
        .target(name: "CChatbotABI", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .target(name: "ChatbotC", dependencies: ["ChatbotEngine", "FrenchText", "KnowledgeSources", "Anonymizer", "QuestionLog", "CChatbotABI"], swiftSettings: cpuFlags),
        .executableTarget(
            name: "ChatbotCLI",
            dependencies: [
                "ChatbotEngine", "FrenchText", "VectorSearch", "KnowledgeSources", "Anonymizer", "QuestionLog",
                "ChatbotEvaluation", "Plots", "NPYFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: cpuFlags
        ),
        .testTarget(name: "ChatbotErrorsTests", dependencies: ["ChatbotErrors"]),
        .testTarget(name: "FrenchTextTests", dependencies: ["FrenchText"], resources: [.copy("Fixtures")]),
        .testTarget(name: "VectorSearchTests", dependencies: ["VectorSearch"]),
        .testTarget(name: "NPYFilesTests", dependencies: ["NPYFiles", "VectorSearch"]),
        .testTarget(name: "SpreadsheetTests", dependencies: ["Spreadsheet"], resources: [.copy("Fixtures")]),
        // The small HR knowledge base that the engine and evaluation tests share.
        .target(name: "EngineTestSupport", dependencies: ["ChatbotEngine"], path: "Tests/EngineTestSupport"),
        .testTarget(name: "ChatbotEngineTests", dependencies: ["ChatbotEngine", "EngineTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChatbotEvaluationTests", dependencies: ["ChatbotEvaluation", "Plots", "ChatbotEngine", "EngineTestSupport"]),
        .testTarget(name: "AnonymizerTests", dependencies: ["Anonymizer"]),
        // ChatbotC: the C layer's fuzz regressions are replayed in Swift too (CAPIFuzzRegressionTests).
        .testTarget(name: "KnowledgeSourcesTests", dependencies: ["KnowledgeSources", "ChatbotEngine", "ChatbotC", "CChatbotABI"]),
        .testTarget(name: "QuestionLogTests", dependencies: ["QuestionLog", "ChatbotEngine", "FrenchText", "CSQLite", "QuestionLogStress", "Plots"]),
        // The C layer's registry of live handles (the C API itself is tested from C, Tests/C).
        .testTarget(name: "ChatbotCTests", dependencies: ["ChatbotC"]),
    ]
)

// libFuzzer targets (Tests/Fuzz, docs/fuzzing.md), declared only when CHATBOT_FUZZ=1 so that
// ordinary builds, `swift test` and Swift hosts never see them. They live in this package
// so that they may use `package` declarations (IndexWriter.seal, ZipWriter). Build them only
// with `make fuzz-build`, which instruments every module with libFuzzer and ASan (the flags,
// and why SwiftPM's `--sanitize=fuzzer --sanitize=address` alone is not enough, are in
// scripts/fuzz.sh). libFuzzer supplies `main`, so each harness is one file defining
// `@_cdecl("LLVMFuzzerTestOneInput")` and no top-level code (-parse-as-library).
if Context.environment["CHATBOT_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzAnalyzer", ["FrenchText"]),
        ("FuzzTSV", ["ChatbotEngine"]),
        ("FuzzCSV", ["ChatbotEngine", "KnowledgeSources"]),
        ("FuzzJSON", ["ChatbotEngine"]),
        ("FuzzSynonyms", ["ChatbotEngine", "FrenchText"]),
        ("FuzzNPY", ["NPYFiles", "VectorSearch"]),
        ("FuzzSpreadsheet", ["Spreadsheet", "KnowledgeSources", "ChatbotEngine"]),
        ("FuzzWorkbookXML", ["Spreadsheet", "KnowledgeSources", "ChatbotEngine"]),
        ("FuzzIndex", ["FuzzSupport"]),
        ("FuzzIndexSealed", ["ChatbotEngine", "FuzzSupport"]),
        ("FuzzCMatch", ["ChatbotC", "CChatbotABI"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["ChatbotEngine"], path: "Tests/Fuzz/FuzzSupport",
                                   swiftSettings: cpuFlags))
    for t in fuzzTargets {
        package.targets.append(.executableTarget(
            name: t.name, dependencies: t.dependencies, path: "Tests/Fuzz/\(t.name)",
            swiftSettings: cpuFlags + [.unsafeFlags(["-parse-as-library"])]))
    }
}
