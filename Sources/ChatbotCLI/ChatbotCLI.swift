import ArgumentParser

@main
struct ChatbotCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbot-cli",
        abstract: "Build, query, evaluate and benchmark libchatbot knowledge bases.",
        subcommands: [BuildCommand.self, CheckCommand.self, AskCommand.self, ItemCommand.self, EvalCommand.self, StemCommand.self, AnalyzeCommand.self, AnonymizeCommand.self, StatsCommand.self, InboxCommand.self, ExportCommand.self,
                      BenchCommand.self]
    )
}
