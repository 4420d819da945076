/// Where a notice stands: derived from what it billed and what was applied to it, never stored.
public enum NoticeStatus: String, Sendable, Equatable, CaseIterable {
    case open
    case partlyPaid = "partly_paid"
    case paid
    case overpaid

    public init(billed: Money, applied: Money) {
        if applied.ore == 0 && billed.ore > 0 {
            self = .open
        } else if applied < billed {
            self = .partlyPaid
        } else if applied == billed {
            self = .paid
        } else {
            self = .overpaid
        }
    }
}

/// What becomes of money beyond what the named notice owes (`payments.overpayment`).
public enum OverpaymentPolicy: String, Sendable, Equatable, CaseIterable {
    /// The contract's oldest open notices first, then a credit that the next notice uses.
    case nextNotice = "next_notice"
    /// The named notice only; the rest is owed back to the tenant as a refund.
    case refund
}

/// One application of money: to a notice, or left on the contract as credit, or owed back.
public struct Application: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case notice
        case credit
        case refund
        /// Sent back to the payer (`payments return`); never an outcome of `PaymentAllocation`.
        case returned = "return"
    }

    public var kind: Kind
    public var noticeID: Int64?
    public var amount: Money

    public init(kind: Kind, noticeID: Int64?, amount: Money) {
        self.kind = kind
        self.noticeID = noticeID
        self.amount = amount
    }
}

public enum PaymentAllocation {
    /// The rule for money beyond what is owed: `policy`, except that a contract that has ended
    /// (its last day, `contractEnd`, before `today`) gets no next notice, so what is left is a refund.
    public static func policy(_ policy: OverpaymentPolicy, contractEnd: CalendarDate?, today: CalendarDate) -> OverpaymentPolicy {
        if let contractEnd, contractEnd < today { return .refund }
        return policy
    }

    /// Splits `amount` over `named` (the notice the payment names, paid or not) and then, per
    /// `policy`, over the contract's other open notices oldest first; what is left is a credit
    /// or a refund. A negative amount (a reversal) is applied to the named notice whole. The
    /// parts always add up to `amount`.
    public static func allocate(
        _ amount: Money, named: NoticeAccount, open: [NoticeAccount], policy: OverpaymentPolicy
    ) throws(MoneyOverflow) -> [Application] {
        guard amount.ore > 0 else { return [Application(kind: .notice, noticeID: named.noticeID, amount: amount)] }
        var left = amount
        var applications: [Application] = []
        func apply(_ notice: NoticeAccount) throws(MoneyOverflow) {
            guard left.ore > 0, notice.balance.ore > 0 else { return }
            let part = min(left, notice.balance)
            applications.append(Application(kind: .notice, noticeID: notice.noticeID, amount: part))
            left = try left - part
        }
        try apply(named)
        if policy == .nextNotice {
            for notice in open.sorted(by: { ($0.dueDate, $0.noticeID) < ($1.dueDate, $1.noticeID) }) where notice.noticeID != named.noticeID {
                try apply(notice)
            }
        }
        if left.ore > 0 {
            // With nothing owed, the money still belongs to the named notice's contract.
            applications.append(Application(kind: policy == .refund ? .refund : .credit, noticeID: nil, amount: left))
        }
        return applications
    }
}

/// Ages of debt in the aged list (`sublet debts`).
public enum DebtAge: String, Sendable, Equatable, CaseIterable, Comparable {
    case upTo30 = "0-30"
    case upTo60 = "31-60"
    case upTo90 = "61-90"
    case over90 = ">90"

    /// Whole days from the due date to `day`; 0 on the due date and before it.
    public static func daysPastDue(dueDate: CalendarDate, on day: CalendarDate) -> Int { max(0, dueDate.days(until: day)) }

    /// The bucket of a notice due `dueDate`, on `day`.
    public init(dueDate: CalendarDate, on day: CalendarDate) { self.init(daysPastDue: Self.daysPastDue(dueDate: dueDate, on: day)) }

    /// The bucket of a notice `days` past its due date (0 on the due date itself).
    public init(daysPastDue days: Int) {
        switch days {
        case ...30: self = .upTo30
        case 31...60: self = .upTo60
        case 61...90: self = .upTo90
        default: self = .over90
        }
    }

    private var order: Int {
        switch self {
        case .upTo30: 0
        case .upTo60: 1
        case .upTo90: 2
        case .over90: 3
        }
    }

    public static func < (lhs: DebtAge, rhs: DebtAge) -> Bool { lhs.order < rhs.order }
}

/// The forfeiture watch (JB 12:42 and 12:44, docs/rules.md §9).
public enum ForfeitureWatch {
    /// The day a notice still unpaid goes on the district's list: the first bank day after the
    /// due date + 7 days. Rent paid on or before due date + 7 days is within the week.
    public static func watchDate(dueDate: CalendarDate) -> CalendarDate {
        SwedishBankCalendar.firstBankDay(onOrAfter: dueDate.adding(days: 8))
    }

    /// The tenant keeps the tenancy by paying within three weeks of being notified.
    public static func recoveryDeadline(notifiedOn date: CalendarDate) -> CalendarDate {
        date.adding(days: 21)
    }

    /// Whether a notice with `balance` owed and due `dueDate` is on the list on `date`.
    public static func isWatched(balance: Money, dueDate: CalendarDate, on date: CalendarDate) -> Bool {
        balance.ore > 0 && date >= watchDate(dueDate: dueDate)
    }
}
