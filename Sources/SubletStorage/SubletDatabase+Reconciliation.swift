import GRDB
import SubletDomain

/// A line no lease could be found for, for the administration's report.
public struct UnmatchedLine: Sendable, Equatable {
    public var invoice: String
    public var seller: String?
    public var sellerName: String?
    public var line: String?
    public var amount: Money
    public var note: String?
    public var reason: String
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
}

extension SubletDatabase {
    /// Reconciles `period`: matches every counted invoice line billing the month to a head lease
    /// (against the register as it is now) and compares invoiced with expected per lease.
    /// `district` limits the lease rows; unmatched lines and findings are the administration's.
    public func reconcile(period: BillingPeriod, district: String? = nil, reconciler: Reconciler) throws -> Reconciliation {
        try read { db in
            let leases = try loadLeases(db)
            let landlords = try loadLandlords(db)
            let matcher = LeaseMatcher(leases: leases, landlords: Set(landlords.map(\.organisationNumber.digits)))
            var byLease: [String: [InvoiceLineRecord]] = [:]
            var unmatched: [UnmatchedLine] = []
            let names = Dictionary(landlords.map { ($0.organisationNumber.digits, $0.name) }, uniquingKeysWith: { first, _ in first })
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT m.amount, m.invoiceId, i.number, i.seller, i.sellerName, i.contractReferences, l.lineId, l.buyersItemId,
                       l.sellersItemId, l.objectReference, l.note
                FROM invoiceLineMonth m JOIN invoice i ON i.id = m.invoiceId
                JOIN invoiceLine l ON l.invoiceId = m.invoiceId AND l.position = m.position
                WHERE m.period = ? ORDER BY m.invoiceId, m.position
                """, arguments: [period.description])
            // Rows come invoice by invoice: the invoice's columns are decoded once per invoice.
            var invoiceID: Int64 = -1
            var invoice = (number: "", seller: String?.none, sellerName: String?.none, references: [String]())
            while let row = try cursor.next() {
                if row[1] as Int64 != invoiceID {
                    invoiceID = row[1]
                    let references: String? = row[5]
                    invoice = (row[2], row[3], row[4], references.map { $0.split(separator: "\n").map(String.init) } ?? [])
                }
                let line = InvoiceLineRecord(
                    invoiceNumber: invoice.number, seller: invoice.seller, lineID: row[6], buyersItemID: row[7], sellersItemID: row[8],
                    objectReference: row[9], contractReferences: invoice.references, note: row[10], amount: Money(ore: row[0])
                )
                // Matched on the text as received; what goes on to reports and screens has personal
                // numbers masked (a landlord's note may name the tenant with theirs).
                let mask = SensitiveText.masked
                switch matcher.match(line) {
                case let .success((lease, _)):
                    var shown = line
                    shown.invoiceNumber = mask(line.invoiceNumber)
                    shown.note = line.note.map(mask)
                    byLease[lease.id, default: []].append(shown)
                case let .failure(reason):
                    unmatched.append(UnmatchedLine(invoice: mask(line.invoiceNumber), seller: line.seller, sellerName: invoice.sellerName.map(mask),
                                                   line: line.lineID.map(mask), amount: line.amount, note: line.note.map(mask),
                                                   reason: mask(reason.description)))
                }
            }
            let rows = try Self.verdicts(leases.filter { district == nil || $0.district == district }, period: period,
                                         lines: byLease, reconciler: reconciler)
            let findings = try Row.fetchAll(db, sql: """
                SELECT i.number, i.seller, i.sellerName, f.kind, f.rule, f.lineId, f.message
                FROM finding f JOIN invoice i ON i.id = f.invoiceId
                WHERE i.id IN (SELECT invoiceId FROM invoiceLineMonth WHERE period = ?)
                   OR substr(coalesce(i.periodStart, i.issueDate), 1, 7) = ?
                ORDER BY i.id, f.id
                """, arguments: [period.description, period.description]).map {
                InvoiceFinding(invoice: SensitiveText.masked($0[0]), seller: $0[1], sellerName: ($0[2] as String?).map(SensitiveText.masked),
                               kind: $0[3], rule: $0[4], line: ($0[5] as String?).map(SensitiveText.masked), message: SensitiveText.masked($0[6]))
            }
            return Reconciliation(period: period, rows: rows, unmatched: unmatched, findings: findings, landlordNames: names)
        }
    }

    /// Every lease's verdict; an out-of-range month is a rejection naming the lease and month.
    private static func verdicts(_ leases: [HeadLease], period: BillingPeriod, lines: [String: [InvoiceLineRecord]],
                                 reconciler: Reconciler) throws -> [LeaseMonth] {
        var rows: [LeaseMonth] = []
        for lease in leases {
            do {
                if let row = try reconciler.reconcile(lease, period: period, lines: lines[lease.id] ?? []) { rows.append(row) }
            } catch {
                throw StorageError.rejected(error.description)
            }
        }
        return rows
    }
}
