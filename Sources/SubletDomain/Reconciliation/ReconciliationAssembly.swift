/// A line no lease could be found for, for the administration's report.
public struct UnmatchedLine: Sendable, Equatable {
    public var invoice: String
    public var seller: String?
    public var sellerName: String?
    public var line: String?
    public var amount: Money
    public var note: String?
    public var reason: String

    public init(invoice: String, seller: String?, sellerName: String?, line: String?, amount: Money, note: String?, reason: String) {
        self.invoice = invoice
        self.seller = seller
        self.sellerName = sellerName
        self.line = line
        self.amount = amount
        self.note = note
        self.reason = reason
    }
}

/// An invoice-level finding (a rule failure or a duplicate) of an invoice that bills the month.
public struct InvoiceFinding: Sendable, Equatable {
    public var invoice: String
    public var seller: String?
    public var sellerName: String?
    public var kind: String
    public var rule: String?
    public var line: String?
    public var message: String

    public init(invoice: String, seller: String?, sellerName: String?, kind: String, rule: String?, line: String?, message: String) {
        self.invoice = invoice
        self.seller = seller
        self.sellerName = sellerName
        self.kind = kind
        self.rule = rule
        self.line = line
        self.message = message
    }
}

/// A month reconciled: every head lease's verdict, what matched nothing, and the findings.
public struct Reconciliation: Sendable, Equatable {
    public var period: BillingPeriod
    public var rows: [LeaseMonth]
    public var unmatched: [UnmatchedLine]
    public var findings: [InvoiceFinding]
    /// Landlord names by organisation number.
    public var landlordNames: [String: String]

    public func rows(district: String) -> [LeaseMonth] { rows.filter { $0.lease.district == district } }

    /// Assembles a month (issue #4 §3): matches every counted line billing the month to a head
    /// lease (`LeaseMatcher`, against the register as it is now), compares invoiced with expected
    /// per lease (`Reconciler`; `district` limits the lease rows), and lists what matched nothing.
    /// What a landlord wrote is matched as received and shown with personal numbers masked
    /// (`SensitiveText`), so no report or screen built from it can leak one.
    public static func assemble(
        period: BillingPeriod, leases: [HeadLease], landlords: [Landlord], lines: [(line: InvoiceLineRecord, sellerName: String?)],
        findings: [InvoiceFinding], district: String?, reconciler: Reconciler
    ) throws(ReconciliationOverflow) -> Reconciliation {
        let matcher = LeaseMatcher(leases: leases, landlords: Set(landlords.map(\.organisationNumber.digits)))
        let mask = SensitiveText.masked
        var byLease: [String: [InvoiceLineRecord]] = [:]
        var unmatched: [UnmatchedLine] = []
        for (line, sellerName) in lines {
            switch matcher.match(line) {
            case .success((let lease, _)):
                var shown = line
                shown.invoiceNumber = mask(line.invoiceNumber)
                shown.note = line.note.map(mask)
                byLease[lease.id, default: []].append(shown)
            case .failure(let reason):
                unmatched.append(
                    UnmatchedLine(
                        invoice: mask(line.invoiceNumber), seller: line.seller, sellerName: sellerName.map(mask),
                        line: line.lineID.map(mask), amount: line.amount, note: line.note.map(mask), reason: mask(reason.description)))
            }
        }
        var rows: [LeaseMonth] = []
        for lease in leases where district == nil || lease.district == district {
            if let row = try reconciler.reconcile(lease, period: period, lines: byLease[lease.id] ?? []) { rows.append(row) }
        }
        let shownFindings = findings.map {
            InvoiceFinding(
                invoice: mask($0.invoice), seller: $0.seller, sellerName: $0.sellerName.map(mask), kind: $0.kind, rule: $0.rule,
                line: $0.line.map(mask), message: mask($0.message))
        }
        let names = Dictionary(landlords.map { ($0.organisationNumber.digits, $0.name) }, uniquingKeysWith: { first, _ in first })
        return Reconciliation(period: period, rows: rows, unmatched: unmatched, findings: shownFindings, landlordNames: names)
    }
}
