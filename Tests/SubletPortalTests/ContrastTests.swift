import Foundation
import Hummingbird
import HummingbirdTesting
import SubletPortal
import Testing

/// WCAG 2.1 AA: text at 4.5:1 or more against its background, focus outlines and chart bars at
/// 3:1 (issue #11 §1). The pairs are read from the style sheet the portal serves.
@Suite struct ContrastTests {
    /// (selector, the declarations that make the pair, foreground, background, the minimum).
    static let pairs: [(String, String, String, String, Double)] = [
        ("body", "color: #1a1a1a; background: #ffffff", "#1a1a1a", "#ffffff", 4.5),
        ("header", "background: #002b45; color: #ffffff", "#ffffff", "#002b45", 4.5),
        ("a", "color: #004a80", "#004a80", "#ffffff", 4.5),
        ("button", "background: #004a80; color: #ffffff", "#ffffff", "#004a80", 4.5),
        ("header button", "background: #ffffff; color: #002b45", "#002b45", "#ffffff", 4.5),
        (".error", "color: #8a0000", "#8a0000", "#ffffff", 4.5),
        (".chart .bar", "fill: #004a80", "#004a80", "#ffffff", 3),
        ("a:focus, button:focus, input:focus", "outline: 3px solid #b35900", "#b35900", "#ffffff", 3),
        // The same outline on the header's dark blue (the logout button).
        ("a:focus, button:focus, input:focus", "outline: 3px solid #b35900", "#b35900", "#002b45", 3),
    ]

    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16)!
        let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { Double($0) / 255 }
        let linear = channels.map { $0 <= 0.03928 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }

    static func ratio(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func theLawOfTheRatio() {
        #expect(abs(Self.ratio("#000000", "#ffffff") - 21) < 0.001)
        #expect(abs(Self.ratio("#777777", "#777777") - 1) < 0.001)
        #expect(Self.ratio("#767676", "#ffffff") >= 4.5 && Self.ratio("#777777", "#ffffff") < 4.5)
    }

    @Test func everyColourPairOfTheStyleSheetPassesAA() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            let css = String(buffer: try await client.execute(uri: "/static/portal.css", method: .get).body)
            for (selector, declarations, foreground, background, minimum) in Self.pairs {
                #expect(css.contains("\(selector) {") && css.contains(declarations), "the style sheet has \(selector) { \(declarations) }")
                let ratio = Self.ratio(foreground, background)
                #expect(ratio >= minimum, "\(selector): \(foreground) on \(background) is \(ratio):1, below \(minimum):1")
            }
        }
    }
}
