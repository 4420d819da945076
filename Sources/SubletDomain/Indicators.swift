/// The months an indicator report covers: a year, a tertial (T1 Jan–Apr, T2 May–Aug,
/// T3 Sep–Dec, as the operational plan reports) or one month.
public struct ReportingRange: Sendable, Equatable, CustomStringConvertible {
    public let first: BillingPeriod
    public let last: BillingPeriod
    /// `2026`, `2026-T2`, `2026-05`.
    public let description: String

    public static func year(_ year: Int) -> ReportingRange? {
        guard let first = BillingPeriod(year: year, month: 1), let last = BillingPeriod(year: year, month: 12) else { return nil }
        return ReportingRange(first: first, last: last, description: String(year))
    }

    public static func tertial(_ year: Int, _ number: Int) -> ReportingRange? {
        guard (1...3).contains(number), let first = BillingPeriod(year: year, month: (number - 1) * 4 + 1) else { return nil }
        return ReportingRange(first: first, last: first.advanced(by: 3), description: "\(year)-T\(number)")
    }

    public static func month(_ period: BillingPeriod) -> ReportingRange {
        ReportingRange(first: period, last: period, description: period.description)
    }

    /// Parses `YYYY`, `YYYY-T1`…`YYYY-T3` or `YYYY-MM`.
    public static func parse(_ text: String) throws(FieldError) -> ReportingRange {
        let value = text.trimmingASCIIWhitespace().uppercased()
        if value.count == 4, let year = Int(value), let range = Self.year(year) { return range }
        if value.count == 7, value.dropFirst(4).hasPrefix("-T"), let year = Int(value.prefix(4)), let number = Int(value.suffix(1)),
            let range = tertial(year, number)
        {
            return range
        }
        if let period = BillingPeriod(value) { return month(period) }
        throw FieldError("\(Quote.excerpt(text)) is not a year (2026), a tertial (2026-T1, T2 or T3) or a month (2026-05)")
    }

    public var periods: [BillingPeriod] { (first.index...last.index).map(BillingPeriod.init(index:)) }

    /// The tertial containing `period`.
    public static func tertial(containing period: BillingPeriod) -> ReportingRange {
        tertial(period.year, (period.month - 1) / 4 + 1)!
    }
}

/// The operational plan's indicators for one district (or all) over a range (docs/rules.md §7).
public struct IndicatorFigures: Sendable, Equatable {
    /// Contract-months noticed: regular notices of months in the range.
    public var administeredContracts = 0
    /// Contracts set up new (not migrated) in the range.
    public var newContracts = 0
    /// Notices (regular and correction) issued in the range.
    public var noticesIssued = 0
    /// Corrections recorded in the range.
    public var corrections = 0
    /// Corrections with a fee billed to the district (not waived).
    public var billableCorrections = 0
    /// Corrections that met the fee rule but whose fee was waived.
    public var waivedFees = 0
    /// Fees billed for the range's months (waived ones excluded).
    public var feeRevenue = Money.zero
    /// Payments not matched automatically by their OCR ("oidentifierade poster"), by the month
    /// they were paid; a district's once placed on one of its contracts, else only in the total.
    public var unidentifiedPayments = 0

    public init() {}

    public static func + (lhs: IndicatorFigures, rhs: IndicatorFigures) throws(MoneyOverflow) -> IndicatorFigures {
        var sum = lhs
        sum.administeredContracts += rhs.administeredContracts
        sum.newContracts += rhs.newContracts
        sum.noticesIssued += rhs.noticesIssued
        sum.corrections += rhs.corrections
        sum.billableCorrections += rhs.billableCorrections
        sum.waivedFees += rhs.waivedFees
        sum.unidentifiedPayments += rhs.unidentifiedPayments
        try sum.feeRevenue += rhs.feeRevenue
        return sum
    }
}
