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
