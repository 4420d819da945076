import Foundation
import PropertyBased
import SubletDomain
import Testing

/// Issue #10: how `sublet find` reads what an administrator types.
@Suite struct SearchQueryTests {
    static let today = CalendarDate("2026-12-02")!

    @Test(
        arguments: [
            ("anna berg", "\"anna\"* \"berg\"*"),
            ("  Anna   BERG ", "\"anna\"* \"berg\"*"),
            ("L-0001", "\"0001\"*"),
            ("A", "\"a\"*"),
            ("Anna B 2", "\"anna\"* \"2\"*"),
            ("Kistagången 2; lgh 1102", "\"kistagången\"* \"2\"* \"lgh\"* \"1102\"*"),
            ("OR", "\"or\"*"),
            ("NEAR(a b) *", "\"near\"*"),
            ("\"", nil),
            ("", nil),
            ("1231", "pnlast1231 OR \"1231\"*"),
            ("19850312-1231", "pn198503121231"),
            ("198503121231", "pn198503121231"),
            ("850312-1231", "pn198503121231"),
            ("8503121231", "pn198503121231"),
            ("121212+1212", "pn191212121212"),
            // Not a valid personal number (check digit): an ordinary word.
            ("19850312-1232", "\"19850312\"* \"1232\"*"),
        ] as [(String, String?)])
    func theTextBecomesAnExpression(text: String, expected: String?) {
        #expect(SearchQuery(text, today: Self.today).fullText == expected)
    }

    @Test func identifiersAreTheTrimmedText() {
        #expect(SearchQuery("  2026-000123 \n", today: Self.today).identifier == "2026-000123")
        #expect(SearchQuery("   ", today: Self.today).identifier == nil)
    }

    /// Whatever is typed, the expression is quoted words (and the index's own tokens): nothing
    /// typed is read as FTS5 syntax.
    @Test func nothingTypedBecomesSyntax() async {
        let alphabet = Array("abcåäö AZ019\"*()-+:^.,;'{}NEARORAND\t")
        await propertyCheck(count: 300, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...24)) { codes in
            let text = String(codes.map { alphabet[$0] })
            guard let expression = SearchQuery(text, today: Self.today).fullText else { return }
            let outside = expression.replacing(/"[^"]*"\*/, with: "").replacing(/pn(last)?\d+/, with: "")
            #expect(outside.allSatisfy { $0 == " " } || outside.trimmingCharacters(in: .whitespaces) == "OR", "\(text) → \(expression)")
        }
    }
}
