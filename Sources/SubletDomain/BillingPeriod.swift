/// A calendar month, written `YYYY-MM`: the period a rent notice bills.
public struct BillingPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1800...2999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
            let year = CalendarDate.number(bytes[0..<4]), let month = CalendarDate.number(bytes[5..<7])
        else { return nil }
        self.init(year: year, month: month)
    }

    public init(containing date: CalendarDate) {
        year = date.year
        month = date.month
    }

    /// Months since year 0, for arithmetic and ordering.
    public var index: Int { year * 12 + (month - 1) }

    public init(index: Int) {
        year = index / 12
        month = index % 12 + 1
    }

    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    public var lastDay: CalendarDate { CalendarDate(year: year, month: month, day: dayCount)! }
    public var dayCount: Int { CalendarDate.daysInMonth(year: year, month: month) }

    public var next: BillingPeriod { advanced(by: 1) }
    public var previous: BillingPeriod { advanced(by: -1) }
    public func advanced(by months: Int) -> BillingPeriod { BillingPeriod(index: index + months) }

    public func contains(_ date: CalendarDate) -> Bool { date.year == year && date.month == month }

    public var description: String { String(year).zeroPadded(to: 4) + "-" + String(month).zeroPadded(to: 2) }

    /// `mars 2026`.
    public var swedishName: String { Self.swedishMonthNames[month - 1] + " " + String(year) }

    public static let swedishMonthNames = [
        "januari", "februari", "mars", "april", "maj", "juni",
        "juli", "augusti", "september", "oktober", "november", "december",
    ]

    public static func < (lhs: BillingPeriod, rhs: BillingPeriod) -> Bool { lhs.index < rhs.index }

    /// Why a text is not a period.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String { "\(Quote.excerpt(text)) is not a month (write YYYY-MM, e.g. 2026-03)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> BillingPeriod {
        guard let period = BillingPeriod(text.trimmingASCIIWhitespace()) else { throw ParseError(text: text) }
        return period
    }
}
