import ChatbotEngine
enum SpreadsheetTemplateSource {
    static func detect(_ bytes: [UInt8]) -> KnowledgeSourceFormat? { nil }
    static func parse(bytes: [UInt8], fileName: String, format: KnowledgeSourceFormat) throws -> KnowledgeBase { fatalError() }
}
