/// A change to a contract's terms, effective from a date.
public enum TermChange: Sendable, Equatable, CustomStringConvertible {
    /// The rent is `amount` from `from` until the next rent step already registered.
    case rent(Money, from: CalendarDate)
    /// The charge is added or re-priced from `from` until its next step.
    case charge(ChargeSpec, from: CalendarDate)
    /// The charge is removed from `from` until its next step.
    case removeCharge(String, from: CalendarDate)
    /// The contract ends on (and including) the date.
    case end(CalendarDate)
    /// The start date is corrected.
    case start(CalendarDate)

    /// `rent 8100.00 from 2026-03-01`: for messages and the audit log.
    public var description: String {
        switch self {
        case .rent(let amount, let from): "rent \(amount.plain) from \(from)"
        case .charge(let charge, let from): "charge \(charge.text) from \(from)"
        case .removeCharge(let label, let from): "charge \(label) removed from \(from)"
        case .end(let date): "ends on \(date)"
        case .start(let date): "starts on \(date)"
        }
    }
}

extension TermChange {
    /// Reads back `description`, as the correction table stores it; `nil` for other text.
    public init?(description text: String) {
        func date(after prefix: String, in text: String) -> CalendarDate? {
            text.hasPrefix(prefix) ? CalendarDate(String(text.dropFirst(prefix.count))) : nil
        }
        if let day = date(after: "ends on ", in: text) {
            self = .end(day)
            return
        }
        if let day = date(after: "starts on ", in: text) {
            self = .start(day)
            return
        }
        // "… from YYYY-MM-DD": the date is the last ten characters.
        guard text.count > 16, text.dropLast(10).hasSuffix(" from "), let from = CalendarDate(String(text.suffix(10))) else { return nil }
        let head = String(text.dropLast(16))
        if head.hasPrefix("rent "), let amount = try? Money.parse(String(head.dropFirst(5))) {
            self = .rent(amount, from: from)
        } else if head.hasPrefix("charge "), head.hasSuffix(" removed") {
            self = .removeCharge(String(head.dropFirst(7).dropLast(8)), from: from)
        } else if head.hasPrefix("charge "), let charge = try? ChargeSpec.parse(String(head.dropFirst(7))) {
            self = .charge(charge, from: from)
        } else {
            return nil
        }
    }

    /// For what the districts and tenants read: `hyra 9 605,00 kr från 2026-11-01`.
    public var swedish: String {
        switch self {
        case .rent(let amount, let from): "hyra \(amount.swedish) kr från \(from)"
        case .charge(let charge, let from):
            "\(charge.label) \(charge.amount.swedish) kr\(charge.vatRate == 0 ? "" : " inkl. moms \(charge.vatRate) %") från \(from)"
        case .removeCharge(let label, let from): "\(label) tas bort från \(from)"
        case .end(let date): "kontraktet slutar \(date)"
        case .start(let date): "kontraktet börjar \(date)"
        }
    }
}

extension ContractTerms {
    /// The terms after `change`, or what makes the change impossible.
    public func applying(_ change: TermChange) throws(FieldError) -> ContractTerms {
        var result = self
        switch change {
        case .rent(let amount, let from):
            try checkInside(from)
            result.setStep(TermStep(component: Self.rent, validFrom: from, amount: amount))
        case .charge(let charge, let from):
            try checkInside(from)
            let existing = existingLabel(matching: charge.label)
            if existing == nil, componentNames.count - 1 >= Self.maximumCharges {
                throw FieldError("the contract already has \(Self.maximumCharges) charges, the most it may have")
            }
            let label = existing ?? charge.label
            result.setStep(TermStep(component: label, validFrom: from, amount: charge.amount, vatRate: charge.vatRate))
        case .removeCharge(let text, let from):
            try checkInside(from)
            let label = try ChargeSpec.validateLabel(text)
            guard let existing = existingLabel(matching: label), step(of: existing, on: from) != nil else {
                throw FieldError("the contract has no charge \(Quote.excerpt(label)) on \(from)")
            }
            result.setStep(TermStep(component: existing, validFrom: from, amount: nil))
        case .end(let date):
            guard date >= start else { throw FieldError("end date \(date) is before the start date \(start)") }
            result.end = date
        case .start(let date):
            if let end, date > end { throw FieldError("start date \(date) is after the end date \(end)") }
            // The terms in force at the later of the two starts apply from the new start; steps
            // before a later start are dropped, later steps stay.
            let pivot = max(start, date)
            result.start = date
            result.steps = []
            for component in componentNames {
                let own = steps.filter { $0.component == component }.sorted { $0.validFrom < $1.validFrom }
                if var carried = own.last(where: { $0.validFrom <= pivot }), carried.amount != nil {
                    carried.validFrom = date
                    result.steps.append(carried)
                }
                result.steps += own.filter { $0.validFrom > pivot }
            }
        }
        return result
    }

    private func checkInside(_ date: CalendarDate) throws(FieldError) {
        if date < start { throw FieldError("\(date) is before the contract starts (\(start))") }
        if let end, date > end { throw FieldError("\(date) is after the contract ends (\(end))") }
    }

    /// The label of a charge already on the contract that matches `label` ignoring case.
    public func existingLabel(matching label: String) -> String? {
        componentNames.first { $0 != Self.rent && $0.lowercased() == label.lowercased() }
    }

    mutating func setStep(_ step: TermStep) {
        steps.removeAll { $0.component == step.component && $0.validFrom == step.validFrom }
        steps.append(step)
    }
}
