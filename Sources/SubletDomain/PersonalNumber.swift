/// A Swedish personal identity number: a personnummer or a samordningsnummer (day + 60).
///
/// Stored as 12 digits (`YYYYMMDDNNNN`). Its `description` is masked, so a personal number
/// that slips into a log line or a report shows only the birth date.
public struct PersonalNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 12 digits, `YYYYMMDDNNNN`.
    public let digits: String

    public enum Kind: String, Sendable { case personnummer, samordningsnummer }

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case format(String)
        case date(String)
        case checkDigit(String)

        public var description: String {
            switch self {
            case .format(let text):
                "\(Quote.excerpt(Self.masked(text))) is not a personal number (write YYYYMMDD-NNNN, YYMMDD-NNNN or YYMMDD+NNNN)"
            case .date(let text): "\(Quote.excerpt(Self.masked(text))) does not contain a valid birth date"
            case .checkDigit(let text): "\(Quote.excerpt(Self.masked(text))) has a wrong check digit"
            }
        }

        /// Error messages end up in terminals and logs: keep the last four digits out of them.
        private static func masked(_ text: String) -> String {
            text.count > 4 ? String(text.dropLast(4)) + "****" : "****"
        }
    }

    /// Parses `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`, `YYMMDD-NNNN`, `YYMMDDNNNN` or `YYMMDD+NNNN` (100 years or
    /// older). A two-digit year is placed in the century that makes the person 0–99 years old on
    /// `referenceDate` (100 or more with `+`).
    public init(parsing text: String, referenceDate: CalendarDate) throws(ParseError) {
        let trimmed = text.trimmingASCIIWhitespace()
        var characters = Array(trimmed)
        var centenarian = false
        if characters.count == 13 || characters.count == 11 {
            let separatorIndex = characters.count - 5
            let separator = characters[separatorIndex]
            guard separator == "-" || separator == "+" else { throw .format(text) }
            centenarian = separator == "+"
            characters.remove(at: separatorIndex)
        }
        let compact = String(characters)
        guard compact.isASCIIDigits, compact.count == 12 || compact.count == 10 else { throw .format(text) }
        let full: String
        if compact.count == 12 {
            guard !centenarian else { throw .format(text) }
            full = compact
        } else {
            let yy = Int(compact.prefix(2))!
            var year = (referenceDate.year / 100) * 100 + yy
            if year > referenceDate.year { year -= 100 }
            if centenarian { year -= 100 }
            full = String(year) + compact.dropFirst(2)
        }
        let year = Int(full.prefix(4))!
        let month = Int(full.dropFirst(4).prefix(2))!
        let dayField = Int(full.dropFirst(6).prefix(2))!
        let day = dayField > 60 ? dayField - 60 : dayField
        guard year >= 1850, let birth = CalendarDate(year: year, month: month, day: day), birth <= referenceDate else {
            throw .date(text)
        }
        guard Luhn.isValid(full.dropFirst(2)) else { throw .checkDigit(text) }
        digits = full
    }

    init(validatedDigits: String) {
        digits = validatedDigits
    }

    public var kind: Kind {
        Int(digits.dropFirst(6).prefix(2))! > 60 ? .samordningsnummer : .personnummer
    }

    /// `YYYYMMDD-NNNN`: only for the administrator's `contract show`.
    public var formatted: String { String(digits.prefix(8)) + "-" + String(digits.suffix(4)) }

    /// `YYYYMMDD-****`: everywhere else.
    public var masked: String { String(digits.prefix(8)) + "-****" }

    public var description: String { masked }

    /// Masks stored 12-digit text without parsing it again.
    public static func mask(digits: String) -> String { String(digits.prefix(8)) + "-****" }
}

/// A Swedish organisationsnummer (`NNNNNN-NNNN`, third digit ≥ 2, Luhn over the 10 digits).
public struct OrganisationNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 10 digits.
    public let digits: String

    public typealias ParseError = IdentifierError

    /// Parses `NNNNNN-NNNN`, `NNNNNNNNNN` or the 12-digit form with the `16` prefix.
    public init(parsing text: String) throws(ParseError) {
        var compact = text.trimmingASCIIWhitespace().replacingDashes()
        if compact.count == 12, compact.hasPrefix("16") { compact = String(compact.dropFirst(2)) }
        guard compact.count == 10, compact.isASCIIDigits else {
            throw ParseError(kind: "an organisation number", text: text, reason: "expected 10 digits, NNNNNN-NNNN")
        }
        guard Array(compact.utf8)[2] >= UInt8(ascii: "2") else {
            throw ParseError(kind: "an organisation number", text: text, reason: "the third digit must be 2 or more")
        }
        guard Luhn.isValid(compact) else { throw ParseError(kind: "an organisation number", text: text, reason: "wrong check digit") }
        digits = compact
    }

    public var description: String { String(digits.prefix(6)) + "-" + String(digits.suffix(4)) }
}

/// A bankgiro number: 7–8 digits, shown `NNN-NNNN` or `NNNN-NNNN`, Luhn over the digits.
public struct BankgiroNumber: Sendable, Hashable, CustomStringConvertible {
    public let digits: String

    public typealias ParseError = IdentifierError

    public init(parsing text: String) throws(ParseError) {
        let compact = text.trimmingASCIIWhitespace().replacingDashes()
        guard (7...8).contains(compact.count), compact.isASCIIDigits else {
            throw ParseError(kind: "a bankgiro number", text: text, reason: "expected 7 or 8 digits, NNN-NNNN or NNNN-NNNN")
        }
        guard Luhn.isValid(compact) else { throw ParseError(kind: "a bankgiro number", text: text, reason: "wrong check digit") }
        digits = compact
    }

    public var description: String { String(digits.dropLast(4)) + "-" + String(digits.suffix(4)) }
}

/// Why a text is not an organisation or bankgiro number.
public struct IdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// "an organisation number", "a bankgiro number".
    public let kind: String
    public let text: String
    public let reason: String
    public var description: String { "\(Quote.excerpt(text)) is not \(kind): \(reason)" }
}

extension String {
    fileprivate func replacingDashes() -> String { String(filter { $0 != "-" && $0 != " " }) }
}

extension BankgiroNumber {
    /// Bankgirot's example number, 5050-1055: the default payee until the city's own is configured.
    public static let example = BankgiroNumber(validated: "50501055")

    init(validated digits: String) { self.digits = digits }
}
