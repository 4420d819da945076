/// Masks personal identity numbers in text that Sublet copies from outside (a landlord's line
/// note, an item name, a file name, a library's message) into a report, a log or an error
/// (issue #7; docs/rules.md §4). Landlords write "Hyresgäst Anna Andersson 19850312-1231" in their
/// notes; the district's report must show "19850312-****".
///
/// A token is masked when it is shaped like a personal or coordination number and could be one:
/// 12 or 10 digits, or 8 or 6 digits, a separator (`-`, `+` or one space) and 4 digits; not part
/// of a longer run of digits; a plausible birth date (the day may be a coordination number's
/// day + 60); and a valid Luhn check digit over the last ten digits. Organisation numbers
/// (third digit 2 or more: no month) and Sublet's own numbers (OCR references, notice numbers)
/// never match.
public enum SensitiveText {
    /// `text` with every personal-number-shaped token's last four digits replaced by `****`.
    public static func masked(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 10, scalars.contains(where: isDigit) else { return text }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if isDigit(scalars[index]), index == 0 || !isDigit(scalars[index - 1]), let end = tokenEnd(scalars, from: index) {
                for position in index..<end {
                    // The last four digits of the token.
                    result.append(position >= end - 4 ? "*" : scalars[position])
                }
                index = end
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    /// Whether `text` holds a personal-number-shaped token.
    public static func containsPersonalNumber(_ text: String) -> Bool { masked(text) != text }

    /// The end (exclusive) of a personal number starting at `start`, if one does.
    private static func tokenEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var run = start
        while run < scalars.count, isDigit(scalars[run]) { run += 1 }
        let length = run - start
        var digits: [Int]
        var end: Int
        switch length {
        case 12, 10:
            digits = (start..<run).map { value(scalars[$0]) }
            end = run
        case 8, 6:
            // A separator, then exactly four digits and no more.
            let separator = run
            guard separator + 5 <= scalars.count, ["-", "+", " "].contains(scalars[separator]) else { return nil }
            let tail = (separator + 1)..<(separator + 5)
            guard tail.allSatisfy({ isDigit(scalars[$0]) }), separator + 5 == scalars.count || !isDigit(scalars[separator + 5]) else { return nil }
            digits = (start..<run).map { value(scalars[$0]) } + tail.map { value(scalars[$0]) }
            end = separator + 5
        default:
            return nil
        }
        let short = digits.count == 12 ? Array(digits.dropFirst(2)) : digits
        guard plausibleDate(digits), luhnValid(short) else { return nil }
        return end
    }

    private static func plausibleDate(_ digits: [Int]) -> Bool {
        let offset = digits.count == 12 ? 2 : 0
        if digits.count == 12 {
            let century = digits[0] * 10 + digits[1]
            guard century == 18 || century == 19 || century == 20 else { return false }
        }
        let year = digits[offset] * 10 + digits[offset + 1]
        let month = digits[offset + 2] * 10 + digits[offset + 3]
        var day = digits[offset + 4] * 10 + digits[offset + 5]
        if day > 60 { day -= 60 }
        guard (1...12).contains(month), day >= 1 else { return false }
        // February 29 only in a leap year when the century is known; a two-digit year may be any century.
        let fullYear = digits.count == 12 ? (digits[0] * 10 + digits[1]) * 100 + year : 2000
        return day <= CalendarDate.daysInMonth(year: fullYear, month: month)
    }

    private static func luhnValid(_ digits: [Int]) -> Bool {
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            let product = position % 2 == 1 ? digit * 2 : digit
            sum += product > 9 ? product - 9 : product
        }
        return sum % 10 == 0
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    private static func value(_ scalar: Unicode.Scalar) -> Int { Int(scalar.value) - 48 }
}
