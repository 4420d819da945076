/// How a partial month is charged (docs/rules.md §5; config `proration.basis`).
public enum ProrationBasis: String, Sendable, CaseIterable {
    /// Monthly amount × active days ÷ days in the month.
    case actualDays = "actual-days"
    /// 1/30 of the monthly amount per active day, capped at the full month.
    case thirtyDay = "thirty-day"
}

public enum Proration {
    /// What the runs `segments` of one component cost in `period`, each run rounded half away
    /// from zero to whole öre.
    ///
    /// Under `.thirtyDay` a component present the whole month is charged exactly 30/30; otherwise
    /// it is charged its days up to 30. The runs take their own days in order and the last run
    /// takes what is left of the month's allotment, so the runs of a full month always add up to
    /// the full amount.
    public static func amounts(of segments: [ContractTerms.Segment], in period: BillingPeriod, basis: ProrationBasis) -> [Money] {
        switch basis {
        case .actualDays:
            return segments.map { $0.amount.portion($0.days, of: period.dayCount) }
        case .thirtyDay:
            let days = segments.reduce(0) { $0 + $1.days }
            let allotment = days == period.dayCount ? 30 : min(days, 30)
            var used = 0
            return segments.enumerated().map { index, segment in
                let share = index == segments.count - 1 ? allotment - used : min(segment.days, allotment - used)
                used += share
                return segment.amount.portion(share, of: 30)
            }
        }
    }

    /// The VAT included in `amount` at `rate` percent, rounded half away from zero.
    public static func includedVAT(in amount: Money, rate: Int) -> Money {
        rate == 0 ? .zero : amount.portion(rate, of: 100 + rate)
    }
}
