/// How a change that reaches back is to be corrected and billed.
public struct CorrectionOptions: Sendable {
    public var priceList: CorrectionPriceList
    /// Minutes the administrator reports for the work.
    public var minutes: Int?
    /// Waive the district's fee for this reason.
    public var waiverReason: String?
    public var dryRun: Bool

    public init(priceList: CorrectionPriceList = CorrectionPriceList(), minutes: Int? = nil, waiverReason: String? = nil, dryRun: Bool = false) {
        self.priceList = priceList
        self.minutes = minutes
        self.waiverReason = waiverReason
        self.dryRun = dryRun
    }
}

/// A retroactive correction (recorded, or planned in a dry run).
public struct Correction: Sendable, Equatable {
    /// `K-2026-000001`; `nil` in a dry run.
    public var number: String?
    public var contract: String
    public var district: String
    public var change: String
    public var recordedOn: CalendarDate
    public var months: [CorrectionMonth]
    public var minutes: Int?
    public var fee: Fee?
    /// The sum of the months' differences.
    public var total: Money

    public init(
        number: String?, contract: String, district: String, change: String, recordedOn: CalendarDate, months: [CorrectionMonth],
        minutes: Int?, fee: Fee?, total: Money
    ) {
        self.number = number
        self.contract = contract
        self.district = district
        self.change = change
        self.recordedOn = recordedOn
        self.months = months
        self.minutes = minutes
        self.fee = fee
        self.total = total
    }

    /// Months whose regular notice the correction changes: what the fee rule counts.
    public var affectedNotices: Int { months.filter { $0.notice != nil }.count }

    /// The district's fee for a billable correction.
    public struct Fee: Sendable, Equatable {
        public var amount: Money
        public var model: CorrectionPriceList.Model
        public var minutes: Int?
        public var billingPeriod: BillingPeriod
        public var waiverReason: String?
        public var waived: Bool { waiverReason != nil }

        public init(amount: Money, model: CorrectionPriceList.Model, minutes: Int?, billingPeriod: BillingPeriod, waiverReason: String?) {
            self.amount = amount
            self.model = model
            self.minutes = minutes
            self.billingPeriod = billingPeriod
            self.waiverReason = waiverReason
        }
    }
}

/// A refund owed to a tenant.
public struct Refund: Sendable, Equatable {
    public var number: String
    public var contract: String
    public var amount: Money
    public var period: BillingPeriod
    public var createdOn: CalendarDate
    /// The notice whose credit exceeded its total, when the refund is its remainder.
    public var notice: String?
    public var text: String

    public init(number: String, contract: String, amount: Money, period: BillingPeriod, createdOn: CalendarDate, notice: String?, text: String) {
        self.number = number
        self.contract = contract
        self.amount = amount
        self.period = period
        self.createdOn = createdOn
        self.notice = notice
        self.text = text
    }
}

/// A fee row as `sublet fees list` and the billing export show it.
public struct FeeEntry: Sendable, Equatable {
    public var correction: String
    public var contract: String
    public var district: String
    public var districtName: String
    public var billingPeriod: BillingPeriod
    public var recordedOn: CalendarDate
    public var amount: Money
    public var model: CorrectionPriceList.Model
    public var minutes: Int?
    public var affectedNotices: Int
    public var waiverReason: String?
    /// The change that made the correction, as recorded (`TermChange.description`).
    public var change: String

    public init(
        correction: String, contract: String, district: String, districtName: String, billingPeriod: BillingPeriod, recordedOn: CalendarDate,
        amount: Money, model: CorrectionPriceList.Model, minutes: Int?, affectedNotices: Int, waiverReason: String?, change: String = ""
    ) {
        self.change = change
        self.correction = correction
        self.contract = contract
        self.district = district
        self.districtName = districtName
        self.billingPeriod = billingPeriod
        self.recordedOn = recordedOn
        self.amount = amount
        self.model = model
        self.minutes = minutes
        self.affectedNotices = affectedNotices
        self.waiverReason = waiverReason
    }
}

/// Why a change's correction cannot be recorded.
public enum CorrectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The amounts are out of range (stored terms from before the bounds).
    case outOfRange(contract: String)
    /// The fee cannot be priced (the time model without the time spent, …).
    case fee(CorrectionFeeError)

    public var description: String {
        switch self {
        case .outOfRange(let contract): "contract \(contract): the correction cannot be computed: \(MoneyOverflow())"
        case .fee(let error): error.description
        }
    }
}

extension CorrectionPlanner {
    /// The correction a change records (docs/rules.md §6): the closed months whose amount it alters, their
    /// total and, when the price list makes it billable, the district's fee (billed in the month
    /// it is recorded; waived with a reason, which needs no reported time). `nil` when the
    /// contract has no notice yet, no month has been run, or no noticed month changes.
    public static func plan(
        before: Contract, after: Contract, change: TermChange, billed: [BillingPeriod: MonthBilling], closedThrough: BillingPeriod?,
        recordedOn: CalendarDate, basis: ProrationBasis, options: CorrectionOptions
    ) throws(CorrectionError) -> Correction? {
        guard let firstNoticed = billed.values.filter({ $0.notice != nil }).map(\.period).min(), let closedThrough else { return nil }
        let months: [CorrectionMonth]
        let total: Money
        do {
            months = try CorrectionPlanner.months(
                before: before.terms, after: after.terms, billed: billed, firstNoticed: firstNoticed,
                closedThrough: closedThrough, basis: basis)
            total = try months.map(\.difference).sum()
        } catch {
            throw .outOfRange(contract: after.number)
        }
        guard !months.isEmpty else { return nil }
        var correction = Correction(
            number: nil, contract: after.number, district: after.district, change: change.description,
            recordedOn: recordedOn, months: months, minutes: options.minutes, fee: nil, total: total)
        guard options.priceList.isBillable(affectedNotices: correction.affectedNotices) else { return correction }
        let priced: CorrectionPriceList.Fee
        if options.waiverReason != nil && options.minutes == nil {
            // A waived fee under the time model needs no reported time: it is never billed.
            priced = CorrectionPriceList.Fee(amount: .zero, model: options.priceList.model, minutes: nil)
        } else {
            do {
                guard let fee = try options.priceList.fee(affectedNotices: correction.affectedNotices, minutes: options.minutes) else {
                    return correction
                }
                priced = fee
            } catch {
                throw .fee(error)
            }
        }
        correction.fee = Correction.Fee(
            amount: priced.amount, model: priced.model, minutes: priced.minutes, billingPeriod: recordedOn.period,
            waiverReason: options.waiverReason)
        return correction
    }
}
