/// What `sublet find TEXT` looks for, read from the text an administrator types: words in the
/// register (names, addresses, contract numbers, object and lease ids) matched as prefixes in
/// the full-text index, and identifiers looked up exactly (a notice number, an OCR reference,
/// an invoice number). A personal number, full or its last four digits, is matched through its
/// own tokens in the index, so that it is never compared as text and never shown unmasked.
public struct SearchQuery: Sendable, Equatable {
    /// The full-text expression (FTS5), or `nil` when the text has no word to match.
    public var fullText: String?
    /// Identifiers to look up exactly: the text as typed, trimmed.
    public var identifier: String?

    /// The prefix of the index's token for a whole personal number (`pn` + 12 digits) and for
    /// its last four digits (`pnlast` + 4 digits): the index writes them, queries match them.
    public static let personalNumberPrefix = "pn"
    public static let lastFourPrefix = "pnlast"

    /// Reads `text` on `today` (a 10-digit personal number's century depends on it).
    public init(_ text: String, today: CalendarDate) {
        let trimmed = text.trimmingASCIIWhitespace()
        identifier = trimmed.isEmpty ? nil : trimmed
        if let number = try? PersonalNumber(parsing: trimmed, referenceDate: today) {
            fullText = Self.personalNumberPrefix + number.digits
            return
        }
        var words = Self.words(trimmed)
        // A lone letter (the L of L-0000042, an initial) matches nearly every row as a prefix:
        // the other words decide.
        if words.contains(where: { $0.count > 1 }) { words.removeAll { $0.count == 1 && !$0.isASCIIDigits } }
        guard !words.isEmpty else {
            fullText = nil
            return
        }
        // Four digits alone are a personal number's last four, or the start of a word (an
        // apartment number, a contract number's digits).
        if trimmed.count == 4, trimmed.isASCIIDigits {
            fullText = "\(Self.lastFourPrefix)\(trimmed) OR \"\(trimmed)\"*"
            return
        }
        fullText = words.map { Self.quoted($0) + "*" }.joined(separator: " ")
    }

    /// An expression matching rows that hold every one of `words` (each quoted, so none is
    /// read as FTS5 syntax).
    public static func allOf(_ words: [String]) -> String { words.map(quoted).joined(separator: " ") }

    /// `word` as an FTS5 string (a quote inside doubled).
    static func quoted(_ word: String) -> String {
        "\"" + word.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// The words of `text` as the index's tokenizer splits them: runs of letters and digits,
    /// each quoted in the expression, so no word is read as FTS5 syntax (`OR`, `NEAR`, `*`).
    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map { String($0).lowercased() }
    }
}
