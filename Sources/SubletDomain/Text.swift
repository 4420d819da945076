extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks (Foundation-free).
    public func trimmingASCIIWhitespace() -> String {
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, !Self.isSpaceByte(first), !Self.isSpaceByte(last) {
            return text
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{00A0}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    private static func isSpaceByte(_ byte: UInt8) -> Bool {
        // ASCII space, tab, CR, LF, and the lead byte of U+00A0 (0xC2 0xA0) — checked the slow way.
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xC2 || byte == 0xA0
    }

    /// True when the text is non-empty and consists of ASCII digits only.
    public var isASCIIDigits: Bool {
        !isEmpty && utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}

extension String {
    /// Left-pads with zeros to `width` characters.
    public func zeroPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Input quoted back in a message: in single quotes, cut to `limit` characters with a note of
/// how long it was, and with control characters shown as escapes, so that a 50 MB field or a
/// line break in a bad value cannot flood or forge a terminal, a log or an error file.
public enum Quote {
    public static let limit = 200

    /// `'7850,001'`; `'AAAA…' (52428800 characters)` past `limit`.
    public static func excerpt(_ text: some StringProtocol, limit: Int = Quote.limit) -> String {
        let cut = text.count > limit
        let shown = cut ? String(text.prefix(limit)) + "…" : String(text)
        return "'" + escapingControlCharacters(shown) + "'" + (cut ? " (\(text.count) characters)" : "")
    }

    /// Control characters (line breaks, escape sequences, NUL) as `\n`, `\r`, `\t` or `\u{1B}`.
    public static func escapingControlCharacters(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return String(text) }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where isControl(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
