/// One line of a rent notice.
public struct NoticeLine: Sendable, Hashable {
    /// Swedish text printed on the notice, e.g. "Hyra december 2026".
    public var text: String
    public var amount: Money
    /// The rent component this line bills, or `nil` for a correction line.
    public var component: String?
    /// VAT in whole percent included in `amount` (0 = exempt).
    public var vatRate: Int
    public var vatAmount: Money
    /// For a correction line: the month it corrects and the notice that billed it first.
    public var correctsPeriod: BillingPeriod?
    public var correctsNotice: String?

    public init(
        text: String, amount: Money, component: String? = nil, vatRate: Int = 0, vatAmount: Money? = nil,
        correctsPeriod: BillingPeriod? = nil, correctsNotice: String? = nil
    ) {
        self.text = text
        self.amount = amount
        self.component = component
        self.vatRate = vatRate
        self.vatAmount = vatAmount ?? Proration.includedVAT(in: amount, rate: vatRate)
        self.correctsPeriod = correctsPeriod
        self.correctsNotice = correctsNotice
    }
}

/// Plans what a contract's notices say. Reads no clock, file or database.
public enum NoticePlanner {
    /// The lines of the regular notice for `period`: one per rent component, or one per price
    /// step when a component's price changes within the month ("Hyra 4–18 februari 2027",
    /// "Hyra 19–28 februari 2027"), so that the tenant can check each; a partial month is
    /// prorated and a single day reads "Hyra 1 februari 2027". A line that prorates to 0,00 is
    /// not printed. `nil` when the contract is not active in `period`. Throws `MoneyOverflow`
    /// when amounts add up beyond what Sublet can hold.
    public static func regularLines(for terms: ContractTerms, period: BillingPeriod, basis: ProrationBasis) throws(MoneyOverflow) -> [NoticeLine]? {
        guard let active = terms.activeRange(in: period) else { return nil }
        var lines: [NoticeLine] = []
        for component in terms.componentNames {
            let segments = terms.segments(of: component, within: active)
            guard let last = segments.last else { continue }
            let amounts = Proration.amounts(of: segments, in: period, basis: basis)
            // A step's line carries the component's rate at the month's end, as its total always
            // has (a VAT change mid-month is rare), and the VAT of its own days.
            let runs = zip(segments, amounts).filter { $0.1 != .zero }
            for (segment, amount) in runs {
                let whole = segment.from == period.firstDay && segment.to == period.lastDay
                let days =
                    whole
                    ? "" : segment.from == segment.to ? "\(segment.from.day) " : "\(segment.from.day)–\(segment.to.day) "
                lines.append(
                    NoticeLine(
                        text: "\(component) \(days)\(period.swedishName)", amount: amount, component: component, vatRate: last.vatRate,
                        vatAmount: Proration.includedVAT(in: amount, rate: segment.vatRate)))
            }
        }
        return lines
    }

    /// What the contract owes for `period` under `terms` (zero when it is not active).
    public static func regularTotal(for terms: ContractTerms, period: BillingPeriod, basis: ProrationBasis) throws(MoneyOverflow) -> Money {
        try regularAmounts(for: terms, period: period, basis: basis).map(\.amount).sum()
    }

    /// The amounts of `regularLines` with their VAT rates, without the texts: what a correction
    /// compares, month by month, back to the contract's start.
    public static func regularAmounts(
        for terms: ContractTerms, period: BillingPeriod, basis: ProrationBasis
    ) throws(MoneyOverflow) -> [(amount: Money, vatRate: Int)] {
        guard let active = terms.activeRange(in: period) else { return [] }
        var amounts: [(amount: Money, vatRate: Int)] = []
        for component in terms.componentNames {
            let segments = terms.segments(of: component, within: active)
            guard let last = segments.last else { continue }
            amounts.append((try Proration.amounts(of: segments, in: period, basis: basis).sum(), last.vatRate))
        }
        return amounts
    }
}
