import Testing
@testable import ChatbotEngine
@Test func placeholder() { #expect(!EngineVersion.string.isEmpty) }
