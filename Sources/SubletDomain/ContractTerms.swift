/// One step in a contract's price history: from `validFrom`, `component` costs `amount` a month
/// (`nil`: the component is removed from that date). A step lasts until the next step of the
/// same component.
public struct TermStep: Sendable, Hashable {
    public var component: String
    public var validFrom: CalendarDate
    public var amount: Money?
    /// VAT in whole percent included in the amount; 0 = exempt (the default: letting a dwelling
    /// is exempt, docs/rules.md §5).
    public var vatRate: Int

    public init(component: String, validFrom: CalendarDate, amount: Money?, vatRate: Int = 0) {
        self.component = component
        self.validFrom = validFrom
        self.amount = amount
        self.vatRate = vatRate
    }
}

/// What a contract costs over time: its active dates and the price steps of each component.
public struct ContractTerms: Sendable, Hashable {
    /// The rent component's name; charges have labels of their own.
    public static let rent = "Hyra"

    /// The most charges one contract may carry (issue #7; docs/operations.md, "Bounds").
    public static let maximumCharges = 50

    public var start: CalendarDate
    /// The last active day (inclusive), or `nil` while the contract runs until further notice.
    public var end: CalendarDate?
    public var steps: [TermStep]

    public init(start: CalendarDate, end: CalendarDate? = nil, steps: [TermStep]) {
        self.start = start
        self.end = end
        self.steps = steps
    }

    /// Convenience: rent and charges from the start.
    public init(start: CalendarDate, end: CalendarDate? = nil, rent: Money, charges: [ChargeSpec] = []) {
        self.init(
            start: start, end: end,
            steps: [TermStep(component: Self.rent, validFrom: start, amount: rent)]
                + charges.map { TermStep(component: $0.label, validFrom: start, amount: $0.amount, vatRate: $0.vatRate) }
        )
    }

    public func isActive(on date: CalendarDate) -> Bool {
        date >= start && (end.map { date <= $0 } ?? true)
    }

    /// The active days of `period`, or `nil` when the contract is not active in it.
    public func activeRange(in period: BillingPeriod) -> ClosedRange<CalendarDate>? {
        let from = max(start, period.firstDay)
        let to = min(end ?? period.lastDay, period.lastDay)
        return from <= to ? from...to : nil
    }

    /// Component names: the rent first, then the charges in the order they first appear.
    public var componentNames: [String] {
        var names = [Self.rent]
        for step in steps.sorted(by: { ($0.validFrom, $0.component) < ($1.validFrom, $1.component) })
        where !names.contains(step.component) {
            names.append(step.component)
        }
        return names
    }

    /// The step in force for `component` on `date`, if the component exists then.
    public func step(of component: String, on date: CalendarDate) -> TermStep? {
        var best: TermStep?
        for step in steps where step.component == component && step.validFrom <= date {
            if best.map({ step.validFrom >= $0.validFrom }) ?? true { best = step }
        }
        return best?.amount == nil ? nil : best
    }

    /// A run of days over which a component has one price.
    public struct Segment: Sendable, Hashable {
        public var from: CalendarDate
        public var to: CalendarDate
        public var amount: Money
        public var vatRate: Int
        public var days: Int { from.days(until: to) + 1 }
    }

    /// The runs of equal price of `component` within `range`, in date order.
    public func segments(of component: String, within range: ClosedRange<CalendarDate>) -> [Segment] {
        let breaks =
            steps
            .filter { $0.component == component && $0.validFrom > range.lowerBound && $0.validFrom <= range.upperBound }
            .map(\.validFrom)
        let starts = [range.lowerBound] + Set(breaks).sorted()
        var result: [Segment] = []
        for (index, from) in starts.enumerated() {
            let to = index + 1 < starts.count ? starts[index + 1].adding(days: -1) : range.upperBound
            guard let step = step(of: component, on: from), let amount = step.amount else { continue }
            if var last = result.last, last.amount == amount, last.vatRate == step.vatRate,
                last.to.adding(days: 1) == from
            {
                last.to = to
                result[result.count - 1] = last
            } else {
                result.append(Segment(from: from, to: to, amount: amount, vatRate: step.vatRate))
            }
        }
        return result
    }
}

/// A charge as written on the command line or in an import file: `Label=amount` or
/// `Label=amount@VAT` (VAT in whole percent: 0, 6, 12 or 25).
public struct ChargeSpec: Sendable, Hashable {
    public var label: String
    public var amount: Money
    public var vatRate: Int

    public init(label: String, amount: Money, vatRate: Int = 0) {
        self.label = label
        self.amount = amount
        self.vatRate = vatRate
    }

    public static let allowedVATRates: Set<Int> = [0, 6, 12, 25]

    /// Parses `Label=amount[@VAT]`.
    public static func parse(_ text: String) throws(FieldError) -> ChargeSpec {
        guard let equals = text.firstIndex(of: "=") else {
            throw FieldError("\(Quote.excerpt(text)) is not a charge (write Label=amount, e.g. Parkering=450.00)")
        }
        let label = try validateLabel(String(text[..<equals]))
        var amountText = String(text[text.index(after: equals)...])
        var vatRate = 0
        if let at = amountText.firstIndex(of: "@") {
            let rateText = amountText[amountText.index(after: at)...].trimmingASCIIWhitespace()
            let digits = rateText.hasSuffix("%") ? String(rateText.dropLast()) : rateText
            guard let rate = Int(digits), allowedVATRates.contains(rate) else {
                throw FieldError("\(Quote.excerpt(rateText)) is not a Swedish VAT rate for charge \(Quote.excerpt(label)) (0, 6, 12 or 25)")
            }
            vatRate = rate
            amountText = String(amountText[..<at])
        }
        do {
            return ChargeSpec(label: label, amount: try Money.parse(amountText), vatRate: vatRate)
        } catch {
            throw FieldError("charge \(Quote.excerpt(label)): \(error)")
        }
    }

    /// A charge label: 1–40 characters, no `=`, `|` or `@`, and not the rent's own name.
    public static func validateLabel(_ text: String) throws(FieldError) -> String {
        let label = text.trimmingASCIIWhitespace()
        guard !label.isEmpty else { throw FieldError("a charge needs a label before '='") }
        guard label.count <= 40 else { throw FieldError("charge label \(Quote.excerpt(label)) is longer than 40 characters") }
        guard !label.contains(where: { $0 == "=" || $0 == "|" || $0 == "@" || $0.isControlCharacter }) else {
            throw FieldError("charge label \(Quote.excerpt(label)) may not contain '=', '|', '@' or control characters")
        }
        guard label.lowercased() != ContractTerms.rent.lowercased() else {
            throw FieldError("\(Quote.excerpt(label)) is the rent itself; change it with --rent")
        }
        return label
    }

    /// `Label=amount` or `Label=amount@VAT`.
    public var text: String { label + "=" + amount.plain + (vatRate == 0 ? "" : "@\(vatRate)") }
}

/// A message about one input value, without saying where the value came from: the caller
/// adds the field, row or column.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Character {
    var isControlCharacter: Bool { unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }
}
