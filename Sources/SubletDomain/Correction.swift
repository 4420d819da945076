/// What a contract has been billed for one month so far: its regular notice (if any) plus every
/// correction of that month recorded before.
public struct MonthBilling: Sendable, Equatable {
    public var period: BillingPeriod
    /// The regular notice of the month, if one was issued.
    public var notice: String?
    public var billed: Money

    public init(period: BillingPeriod, notice: String?, billed: Money) {
        self.period = period
        self.notice = notice
        self.billed = billed
    }
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

    public init(period: BillingPeriod, notice: String?, billed: Money, correct: Money) throws(MoneyOverflow) {
        self.period = period
        self.notice = notice
        self.billed = billed
        self.correct = correct
        difference = try correct - billed
    }
}

/// Finds what a change does to months already noticed (docs/rules.md §6). Reads no clock or database.
public enum CorrectionPlanner {
    /// The months up to and including `closedThrough` (the last month the monthly job has run)
    /// whose amount under the new terms differs from what was billed.
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
            let before =
                period < firstNoticed
                ? MonthBilling(period: period, notice: nil, billed: try NoticePlanner.regularTotal(for: old, period: period, basis: basis))
                : billed[period] ?? MonthBilling(period: period, notice: nil, billed: .zero)
            let correct = try NoticePlanner.regularTotal(for: new, period: period, basis: basis)
            if correct != before.billed {
                result.append(try CorrectionMonth(period: period, notice: before.notice, billed: before.billed, correct: correct))
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

    public init(correction: String, period: BillingPeriod, notice: String?, difference: Money) {
        self.correction = correction
        self.period = period
        self.notice = notice
        self.difference = difference
    }
}

/// How recorded corrections reach the tenant: as lines on the next notice, a correction notice
/// of their own, or a refund (docs/rules.md §6).
public enum CorrectionBilling {
    /// One line per month, in month order: "Retroaktiv justering 2025-03 (avi 2025-000123)".
    /// Corrections of the same month are added together; a month that nets to zero needs no line.
    public static func lines(for pending: [PendingCorrection]) throws(MoneyOverflow) -> [NoticeLine] {
        var byMonth: [BillingPeriod: (notice: String?, amount: Money)] = [:]
        for item in pending {
            try byMonth[item.period, default: (item.notice, .zero)].amount += item.difference
        }
        return byMonth.keys.sorted().compactMap { period in
            let (notice, amount) = byMonth[period]!
            guard amount != .zero else { return nil }
            let reference = notice.map { " (avi \($0))" } ?? ""
            return NoticeLine(
                text: "Retroaktiv justering \(period)\(reference)", amount: amount,
                correctsPeriod: period, correctsNotice: notice)
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
