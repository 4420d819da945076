/// Amounts by VAT rate (whole percent, 0 = exempt): what a month was billed at each rate.
public typealias AmountsByRate = [Int: Money]

extension Dictionary where Key == Int, Value == Money {
    /// `self − other`, rate by rate, without the rates that come to zero.
    func subtracting(_ other: AmountsByRate) throws(MoneyOverflow) -> AmountsByRate {
        var result: AmountsByRate = [:]
        for rate in Set(keys).union(other.keys) {
            let difference = try (self[rate] ?? .zero) - (other[rate] ?? .zero)
            if difference != .zero { result[rate] = difference }
        }
        return result
    }

    /// The amounts by their VAT rate.
    static func of(_ lines: [(amount: Money, vatRate: Int)]) throws(MoneyOverflow) -> AmountsByRate {
        var result: AmountsByRate = [:]
        for line in lines { try result[line.vatRate, default: .zero] += line.amount }
        return result
    }

    /// `of(lines)` when an amount carries VAT; `nil` when all are exempt.
    static func taxed(_ lines: [(amount: Money, vatRate: Int)]) throws(MoneyOverflow) -> AmountsByRate? {
        lines.contains { $0.vatRate != 0 } ? try of(lines) : nil
    }
}

/// What a contract has been billed for one month so far: its regular notice (if any) plus every
/// correction of that month recorded before.
public struct MonthBilling: Sendable, Equatable {
    public var period: BillingPeriod
    /// The regular notice of the month, if one was issued.
    public var notice: String?
    public var billed: Money
    /// `billed` by VAT rate (a line's rate is the rate in force at the end of its month), or
    /// `nil` when all of it is exempt.
    public var vatSplit: AmountsByRate?

    public init(period: BillingPeriod, notice: String?, billed: Money, byRate: AmountsByRate? = nil) {
        self.period = period
        self.notice = notice
        self.billed = billed
        vatSplit = byRate
    }

    /// `billed` by VAT rate.
    public var byRate: AmountsByRate { vatSplit ?? (billed == .zero ? [:] : [0: billed]) }

    /// Whether all that was billed is exempt from VAT.
    public var isExemptOnly: Bool { vatSplit?.keys.allSatisfy { $0 == 0 } ?? true }
}

/// One month of a retroactive correction.
public struct CorrectionMonth: Sendable, Equatable {
    public var period: BillingPeriod
    /// The regular notice that billed the month first, if any.
    public var notice: String?
    public var billed: Money
    public var correct: Money
    /// `correct − billed`.
    public let difference: Money
    /// The difference by VAT rate, without the rates where nothing changed. A change of a
    /// charge's VAT alone has a zero `difference` and two rates here (docs/rules.md §6).
    public let byRate: AmountsByRate

    /// `byRate` defaults to the whole difference exempt from VAT.
    public init(period: BillingPeriod, notice: String?, billed: Money, correct: Money, byRate: AmountsByRate? = nil) throws(MoneyOverflow) {
        self.period = period
        self.notice = notice
        self.billed = billed
        self.correct = correct
        let difference = try correct - billed
        self.difference = difference
        self.byRate = byRate ?? (difference == .zero ? [:] : [0: difference])
    }

    /// Whether the difference is all exempt from VAT (how corrections were kept before schema v7).
    public var isExemptOnly: Bool { byRate.isEmpty || byRate == [0: difference] }
}

/// Finds what a change does to months already noticed (docs/rules.md §6). Reads no clock or database.
public enum CorrectionPlanner {
    /// The months up to and including `closedThrough` (the last month the monthly job has run)
    /// whose amount under the new terms, or its VAT rate, differs from what was billed.
    ///
    /// From the contract's first notice on, `billed` says what was billed (a month without an
    /// entry was billed nothing: the contract was not active when its month was run). A month
    /// before the first notice was billed outside Sublet (the legacy register) or not at all,
    /// as the terms before the change said: there the correction is the difference between the
    /// terms after and before the change. So an earlier start bills the months it adds, and a
    /// change back into the legacy register's months corrects them.
    public static func months(
        before old: ContractTerms, after new: ContractTerms, billed: [BillingPeriod: MonthBilling],
        firstNoticed: BillingPeriod, closedThrough: BillingPeriod, basis: ProrationBasis
    ) throws(MoneyOverflow) -> [CorrectionMonth] {
        let first = min(firstNoticed, old.start.period, new.start.period)
        guard first <= closedThrough else { return [] }
        var result: [CorrectionMonth] = []
        for index in first.index...closedThrough.index {
            let period = BillingPeriod(index: index)
            let before: MonthBilling
            if period < firstNoticed {
                let lines = try NoticePlanner.regularAmounts(for: old, period: period, basis: basis)
                before = MonthBilling(period: period, notice: nil, billed: try lines.map(\.amount).sum(), byRate: try .taxed(lines))
            } else {
                before = billed[period] ?? MonthBilling(period: period, notice: nil, billed: .zero)
            }
            let lines = try NoticePlanner.regularAmounts(for: new, period: period, basis: basis)
            let correct = try lines.map(\.amount).sum()
            // Split by rate only where VAT is involved (rare): an exempt month is its total.
            let taxed = try AmountsByRate.taxed(lines)
            var byRate: AmountsByRate?
            if taxed != nil || !before.isExemptOnly {
                let correctByRate = if let taxed { taxed } else { try AmountsByRate.of(lines) }
                byRate = try correctByRate.subtracting(before.byRate)
            }
            if correct != before.billed || !(byRate?.isEmpty ?? true) {
                result.append(try CorrectionMonth(period: period, notice: before.notice, billed: before.billed, correct: correct, byRate: byRate))
            }
        }
        return result
    }
}

/// The price list's rule for billing a district for a retroactive correction (the city's
/// operational plan; config `price_list.retroactive_correction.*`).
public struct CorrectionPriceList: Sendable, Equatable {
    public enum Model: String, Sendable, CaseIterable {
        /// A fixed fee per billable correction.
        case fixed
        /// The hourly rate times the reported time, rounded up to the increment.
        case time
    }

    /// A correction is billable when it affects at least this many notices.
    public var minimumNotices = 3
    public var model = Model.fixed
    public var fixedFee = Money(kronor: 450)
    public var hourlyRate = Money(kronor: 650)
    public var incrementMinutes = 30

    public init() {}

    /// A fee as the price list computes it.
    public struct Fee: Sendable, Equatable {
        public var amount: Money
        public var model: Model
        /// Reported minutes (time model: rounded up to the increment).
        public var minutes: Int?

        public init(amount: Money, model: Model, minutes: Int?) {
            self.amount = amount
            self.model = model
            self.minutes = minutes
        }
    }

    /// The most time one correction may report (`--time`): 100,000 minutes, about 1,700 hours.
    public static let maximumMinutes = 100_000

    public func isBillable(affectedNotices: Int) -> Bool { affectedNotices >= minimumNotices }

    /// The fee for a correction affecting `affectedNotices` notices with `minutes` reported, or
    /// `nil` when the correction is not billable. Under the time model a billable correction
    /// needs the reported time.
    public func fee(affectedNotices: Int, minutes: Int?) throws(CorrectionFeeError) -> Fee? {
        guard isBillable(affectedNotices: affectedNotices) else { return nil }
        switch model {
        case .fixed:
            return Fee(amount: fixedFee, model: .fixed, minutes: minutes)
        case .time:
            guard let minutes else { throw .timeRequired(affectedNotices: affectedNotices) }
            guard (1...Self.maximumMinutes).contains(minutes) else { throw .timeOutOfRange(minutes) }
            let rounded = (minutes + incrementMinutes - 1) / incrementMinutes * incrementMinutes
            do {
                return Fee(amount: try hourlyRate.scaled(by: rounded, over: 60), model: .time, minutes: rounded)
            } catch {
                throw .feeOutOfRange(minutes: rounded, hourlyRate: hourlyRate)
            }
        }
    }
}

/// Why a billable correction's fee cannot be priced. The reported time is the administrator's
/// (the command line asks for it as `--time`).
public enum CorrectionFeeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Under the time model a billable correction needs the time spent.
    case timeRequired(affectedNotices: Int)
    case timeOutOfRange(Int)
    case feeOutOfRange(minutes: Int, hourlyRate: Money)

    public var description: String {
        switch self {
        case .timeRequired(let affected):
            "this correction affects \(affected) notices and is billed by time (price_list.retroactive_correction.model = \"time\"): the time spent is required"
        case .timeOutOfRange(let minutes): "the reported time must be 1 to \(CorrectionPriceList.maximumMinutes) minutes, not \(minutes)"
        case .feeOutOfRange(let minutes, let rate): "the fee for \(minutes) minutes at \(rate.swedish) kr an hour is \(MoneyOverflow())"
        }
    }
}

/// A correction month not yet billed to the tenant.
public struct PendingCorrection: Sendable, Equatable {
    public var correction: String
    public var period: BillingPeriod
    public var notice: String?
    public var difference: Money
    /// The difference by VAT rate (`CorrectionMonth.byRate`), or `nil` when all of it is exempt.
    public var vatSplit: AmountsByRate?

    public init(correction: String, period: BillingPeriod, notice: String?, difference: Money, byRate: AmountsByRate? = nil) {
        self.correction = correction
        self.period = period
        self.notice = notice
        self.difference = difference
        vatSplit = byRate
    }

    /// The difference by VAT rate.
    public var byRate: AmountsByRate { vatSplit ?? (difference == .zero ? [:] : [0: difference]) }
}

/// How recorded corrections reach the tenant: as lines on the next notice, a correction notice
/// of their own, or a refund (docs/rules.md §6).
public enum CorrectionBilling {
    /// One line per month, in month order: "Retroaktiv justering 2025-03 (avi 2025-000123)".
    /// Corrections of the same month are added together; a month that nets to zero needs no line.
    /// A month whose VAT changed gets one line per rate, the taxed ones saying their rate:
    /// "Retroaktiv justering 2025-03 (avi 2025-000123), moms 25 %".
    public static func lines(for pending: [PendingCorrection]) throws(MoneyOverflow) -> [NoticeLine] {
        struct Key: Hashable, Comparable {
            var period: BillingPeriod
            var rate: Int
            static func < (lhs: Key, rhs: Key) -> Bool { (lhs.period, lhs.rate) < (rhs.period, rhs.rate) }
        }
        var amounts: [Key: Money] = [:]
        var notices: [BillingPeriod: String] = [:]
        for item in pending {
            if let notice = item.notice, notices[item.period] == nil { notices[item.period] = notice }
            for (rate, amount) in item.byRate { try amounts[Key(period: item.period, rate: rate), default: .zero] += amount }
        }
        return amounts.sorted { $0.key < $1.key }.compactMap { key, amount in
            guard amount != .zero else { return nil }
            let notice = notices[key.period]
            let reference = notice.map { " (avi \($0))" } ?? ""
            let rate = key.rate == 0 ? "" : ", moms \(key.rate) %"
            return NoticeLine(
                text: "Retroaktiv justering \(key.period)\(reference)\(rate)", amount: amount, vatRate: key.rate,
                correctsPeriod: key.period, correctsNotice: notice)
        }
    }

    public static let refundLineText = "Överskjutande kredit återbetalas"

    /// The lines of a regular notice with the pending corrections added. A notice's total is never
    /// negative: a larger credit gets a balancing line and the remainder becomes a refund.
    public static func regularNotice(
        regular: [NoticeLine], pending: [PendingCorrection]
    ) throws(MoneyOverflow) -> (lines: [NoticeLine], refund: Money) {
        var lines = regular + (try self.lines(for: pending))
        let total = try lines.map(\.amount).sum()
        guard total.isNegative else { return (lines, .zero) }
        let credit = try -total
        lines.append(NoticeLine(text: refundLineText, amount: credit))
        return (lines, credit)
    }

    /// For a contract with no next notice: a correction notice for a debit, a refund for a credit.
    public enum Standalone: Sendable, Equatable {
        case notice([NoticeLine])
        case refund(Money)
        /// The corrections cancel out: nothing to send.
        case nothing
    }

    public static func standalone(_ pending: [PendingCorrection]) throws(MoneyOverflow) -> Standalone {
        let lines = try self.lines(for: pending)
        let total = try lines.map(\.amount).sum()
        if lines.isEmpty { return .nothing }
        return total.isNegative ? .refund(try -total) : .notice(lines)
    }
}
