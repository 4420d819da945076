import SubletDomain

/// A stored payment with what has been done with it.
public struct StoredPayment: Sendable, Equatable {
    public var id: Int64
    public var file: String
    public var line: Int
    public var format: String
    public var amount: Money
    public var paymentDate: CalendarDate
    public var reference: String?
    public var text: String?
    public var payerName: String?
    /// As reported; may be a personal number: mask it before showing it.
    public var payerID: String?
    public var tier: PaymentMatch.Tier
    /// The sum of its applications (to notices, credit, refunds, returns), reversals included.
    public var applied: Money
    /// Whether any of it was sent back to the payer.
    public var returned: Bool
    public var applications: [StoredApplication] = []

    public var unapplied: Money { Money(ore: amount.ore - applied.ore) }

    /// `applied` when nothing is left to place, `unidentified` while something is.
    public var state: State { unapplied.ore != 0 ? .unidentified : returned ? .returned : .applied }

    public enum State: String, Sendable, Equatable, CaseIterable {
        case applied, unidentified, returned
    }
}

/// One application of a payment.
public struct StoredApplication: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var notice: String?
    public var contract: String?
    public var amount: Money
    public var reversesID: Int64?
    public var reason: String?
    public var at: String
    public var by: String
}

/// One line of a contract's statement.
public struct LedgerLine: Sendable, Equatable {
    public enum Kind: String, Sendable { case notice, correction, payment, credit, refund }
    public var date: CalendarDate
    public var kind: Kind
    public var document: String
    public var text: String
    /// What the line adds to what the tenant owes (a notice +, a payment −; a correction and a
    /// refund 0: the correction is billed on later notices or paid out as a refund, and a refund
    /// is money the city pays out; both are shown for the record).
    public var amount: Money
    public var balance: Money
    /// A notice's standing, from its total and what was applied to it (other lines: nil).
    public var status: NoticeStatus? = nil
}

/// A notice with something owed, as the debts list, the forfeiture watch and reminders see it.
public struct OwedNotice: Sendable, Equatable {
    public var noticeID: Int64
    public var notice: String
    public var contract: String
    public var district: String
    public var tenant: String
    public var address: String
    public var period: BillingPeriod
    public var dueDate: CalendarDate
    public var ocr: String
    public var total: Money
    public var balance: Money
    /// The forfeiture notice given, if any.
    public var notifiedOn: CalendarDate?
    public var contractID: Int64
}
