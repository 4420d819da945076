/// How an invoice line was tied to a head lease, in the order they are tried.
public enum MatchRule: String, Sendable, CaseIterable {
    /// `BuyersItemIdentification` = our lease id.
    case buyersItemID = "buyers_item_id"
    /// `SellersItemIdentification` = the landlord's object id.
    case sellersItemID = "sellers_item_id"
    /// The line's `DocumentReference` (type 130) = the landlord's object id or our lease id.
    case objectReference = "object_reference"
    /// The document's `ContractDocumentReference`, when it names exactly one of the landlord's leases.
    case contractReference = "contract_reference"
}

/// An invoice line as stored: what matching and reconciliation need.
public struct InvoiceLineRecord: Sendable, Equatable {
    public var invoiceNumber: String
    public var seller: String?
    public var lineID: String?
    public var buyersItemID: String?
    public var sellersItemID: String?
    public var objectReference: String?
    public var contractReferences: [String]
    public var note: String?
    /// The line's amount in the month being reconciled (credit notes negative).
    public var amount: Money

    public init(
        invoiceNumber: String, seller: String?, lineID: String?, buyersItemID: String?, sellersItemID: String?,
        objectReference: String?, contractReferences: [String], note: String?, amount: Money
    ) {
        self.invoiceNumber = invoiceNumber
        self.seller = seller
        self.lineID = lineID
        self.buyersItemID = buyersItemID
        self.sellersItemID = sellersItemID
        self.objectReference = objectReference
        self.contractReferences = contractReferences
        self.note = note
        self.amount = amount
    }
}

/// Finds the head lease an invoice line bills (issue #4 §3). Reads nothing but its index.
public struct LeaseMatcher: Sendable {
    private var byID: [String: HeadLease] = [:]
    private var byObject: [String: [String: HeadLease]] = [:]
    private var byReference: [String: [String: [HeadLease]]] = [:]
    public private(set) var landlords: Set<String> = []

    public init(leases: [HeadLease], landlords: Set<String>) {
        self.landlords = landlords
        for lease in leases {
            byID[lease.id] = lease
            byObject[lease.landlord, default: [:]][lease.objectID] = lease
            if let reference = lease.reference { byReference[lease.landlord, default: [:]][reference, default: []].append(lease) }
        }
    }

    /// The lease and the rule that found it, or why none was found.
    public func match(_ line: InvoiceLineRecord) -> Result<(lease: HeadLease, rule: MatchRule), UnmatchedReason> {
        guard let seller = line.seller, landlords.contains(seller) else {
            return .failure(.unknownLandlord(line.seller))
        }
        if let id = line.buyersItemID, let lease = byID[id], lease.landlord == seller { return .success((lease, .buyersItemID)) }
        if let object = line.sellersItemID, let lease = byObject[seller]?[object] { return .success((lease, .sellersItemID)) }
        if let reference = line.objectReference {
            if let lease = byObject[seller]?[reference] { return .success((lease, .objectReference)) }
            if let lease = byID[reference], lease.landlord == seller { return .success((lease, .objectReference)) }
        }
        let named = Set(line.contractReferences.flatMap { byReference[seller]?[$0] ?? [] }.map(\.id))
        if named.count == 1, let lease = byID[named.first!] { return .success((lease, .contractReference)) }
        var tried: [String] = []
        if let id = line.buyersItemID { tried.append("buyer's item id \(id)") }
        if let object = line.sellersItemID { tried.append("seller's item id \(object)") }
        if let reference = line.objectReference { tried.append("object reference \(reference)") }
        for reference in line.contractReferences {
            let count = byReference[seller]?[reference]?.count ?? 0
            tried.append("contract reference \(reference) (\(count == 0 ? "no lease" : count == 1 ? "1 lease" : "\(count) leases"))")
        }
        return .failure(.noLease(tried: tried))
    }

    public enum UnmatchedReason: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownLandlord(String?)
        /// What the line names, none of which identifies one of the landlord's leases.
        case noLease(tried: [String])

        public var description: String {
            switch self {
            case .unknownLandlord(let seller): "seller \(seller ?? "without an organisation number") is not a registered landlord"
            case .noLease(let tried) where tried.isEmpty:
                "the line names no lease: no buyer's or seller's item id, object reference or contract reference"
            case .noLease(let tried): "no single head lease of this landlord matches: " + tried.joined(separator: ", ")
            }
        }
    }
}

/// Splitting what a line bills over the months it covers.
public enum InvoicePeriods {
    /// The days a line bills: its own period, else the document's, else the month of the issue date.
    public static func range(
        lineStart: String?, lineEnd: String?, documentStart: String?, documentEnd: String?,
        issueDate: CalendarDate
    ) -> ClosedRange<CalendarDate> {
        let start = (lineStart ?? documentStart).flatMap { CalendarDate($0) }
        let end = (lineEnd ?? documentEnd).flatMap { CalendarDate($0) }
        switch (start, end) {
        case (let start?, let end?) where start <= end: return start...end
        case (let start?, nil): return start...start.period.lastDay
        case (nil, let end?): return end.period.firstDay...end
        default: return issueDate.period.firstDay...issueDate.period.lastDay
        }
    }

    /// `amount` spread over the months of `range` by days; every month rounded half away from
    /// zero, the last taking the remainder so that the parts add up exactly.
    public static func split(_ amount: Money, over range: ClosedRange<CalendarDate>) throws(MoneyOverflow) -> [(BillingPeriod, Money)] {
        let total = range.lowerBound.days(until: range.upperBound) + 1
        var parts: [(BillingPeriod, Money)] = []
        var used = Money.zero
        var period = range.lowerBound.period
        while period <= range.upperBound.period {
            let from = max(period.firstDay, range.lowerBound)
            let to = min(period.lastDay, range.upperBound)
            let days = from.days(until: to) + 1
            let share = period == range.upperBound.period ? try amount - used : amount.portion(days, of: total)
            parts.append((period, share))
            try used += share
            period = period.next
        }
        return parts
    }
}

/// The outcome for one head lease in one month.
public enum ReconciliationStatus: String, Sendable, CaseIterable, Comparable {
    case ok
    case overbilled
    case underbilled
    /// Active, the month has begun and the grace days have passed, and no invoice has come.
    case missing
    /// Invoiced although the lease is not active that month.
    case notExpected = "not_expected"
    /// Active but not yet due: the grace days have not passed.
    case pending

    public static func < (lhs: Self, rhs: Self) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }

    /// Swedish, for the district reports.
    public var swedish: String {
        switch self {
        case .ok: "Stämmer"
        case .overbilled: "Överdebiterad"
        case .underbilled: "Underdebiterad"
        case .missing: "Faktura saknas"
        case .notExpected: "Oväntad faktura"
        case .pending: "Ej förfallen"
        }
    }
}

/// One head lease in one month: what it should cost, what was invoiced, and the verdict.
public struct LeaseMonth: Sendable, Equatable {
    public var lease: HeadLease
    public var period: BillingPeriod
    public var expected: Money
    public var invoiced: Money
    public var invoices: [String]
    public var notes: [String]
    public var status: ReconciliationStatus
    /// `invoiced − expected`.
    public var difference: Money
}

/// The invoiced lines of one lease and month add up beyond what Sublet can hold. Invoice amounts
/// are bounded at ingest (docs/operations.md): this takes more than 900,000 lines at the bound
/// for one lease and month, and fails that month's reconciliation with a message, never a trap.
public struct ReconciliationOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    public let lease: String
    public let period: BillingPeriod

    public init(lease: String, period: BillingPeriod) {
        self.lease = lease
        self.period = period
    }

    public var description: String {
        "lease \(lease), \(period): the invoiced amounts add up to more than Sublet can hold (±92 233 720 368 547 758,07 kr); check the landlord's invoices for that month"
    }
}

/// Compares invoiced with expected per lease and month (issue #4 §3).
public struct Reconciler: Sendable {
    public var tolerance: Money
    public var graceDays: Int
    public var today: CalendarDate

    public init(tolerance: Money, graceDays: Int, today: CalendarDate) {
        self.tolerance = tolerance
        self.graceDays = graceDays
        self.today = today
    }

    /// The verdict for `lease` in `period` given its matched lines (none: not invoiced); `nil`
    /// when the lease is neither active nor invoiced.
    public func reconcile(_ lease: HeadLease, period: BillingPeriod, lines: [InvoiceLineRecord]) throws(ReconciliationOverflow) -> LeaseMonth? {
        let active = lease.terms.activeRange(in: period) != nil
        let expected: Money, invoiced: Money, difference: Money
        do {
            expected = try lease.expected(in: period)
            invoiced = try lines.map(\.amount).sum()
            difference = try invoiced - expected
        } catch {
            throw ReconciliationOverflow(lease: lease.id, period: period)
        }
        let status: ReconciliationStatus
        if !active {
            guard !lines.isEmpty else { return nil }
            status = .notExpected
        } else if lines.isEmpty {
            status = today >= period.firstDay.adding(days: graceDays) ? .missing : .pending
        } else if difference.magnitude <= tolerance.magnitude {
            status = .ok
        } else {
            status = invoiced > expected ? .overbilled : .underbilled
        }
        var invoices: [String] = []
        for line in lines where !invoices.contains(line.invoiceNumber) { invoices.append(line.invoiceNumber) }
        return LeaseMonth(
            lease: lease, period: period, expected: expected, invoiced: invoiced, invoices: invoices,
            notes: lines.compactMap(\.note), status: status, difference: difference)
    }
}
