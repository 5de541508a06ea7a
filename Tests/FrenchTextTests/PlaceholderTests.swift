import Testing
@testable import FrenchText
@Test func placeholder() { #expect(FrenchStemmer().stem("x") == "x") }
