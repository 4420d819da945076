import GRDB
import SubletDomain

extension SubletDatabase {
    /// The names of the files the invoices numbered `numbers` came in, in the order received.
    public func sourceFiles(ofInvoices numbers: some Collection<String>) throws -> [String] {
        guard !numbers.isEmpty else { return [] }
        return try read { db in
            let placeholders = Array(repeating: "?", count: numbers.count).joined(separator: ", ")
            return try String.fetchAll(
                db,
                sql: """
                    SELECT f.name FROM inboundFile f WHERE f.id IN (SELECT fileId FROM invoice WHERE number IN (\(placeholders)))
                    ORDER BY f.receivedAt, f.id
                    """, arguments: StatementArguments(Array(numbers)))
        }
    }

    /// Reconciles `period` (`Reconciliation.assemble`): reads the month's line amounts
    /// (`invoiceLineMonth`), the register and the findings; decides nothing itself.
    public func reconcile(period: BillingPeriod, district: String? = nil, reconciler: Reconciler) throws -> Reconciliation {
        try read { db in
            let leases = try loadLeases(db)
            let landlords = try loadLandlords(db)
            var lines: [(line: InvoiceLineRecord, sellerName: String?)] = []
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT m.amount, m.invoiceId, i.number, i.seller, i.sellerName, i.contractReferences, l.lineId, l.buyersItemId,
                           l.sellersItemId, l.objectReference, l.note
                    FROM invoiceLineMonth m JOIN invoice i ON i.id = m.invoiceId
                    JOIN invoiceLine l ON l.invoiceId = m.invoiceId AND l.position = m.position
                    WHERE m.period = ? ORDER BY m.invoiceId, m.position
                    """, arguments: [period])
            // Rows come invoice by invoice: the invoice's columns are decoded once per invoice.
            var invoiceID: Int64 = -1
            var invoice = (number: "", seller: String?.none, sellerName: String?.none, references: [String]())
            while let row = try cursor.next() {
                let id: Int64 = try row.value("invoiceId", in: "invoiceLineMonth")
                if id != invoiceID {
                    invoiceID = id
                    let references: String? = try row.value("contractReferences", in: "invoice")
                    invoice = (
                        try row.value("number", in: "invoice"), try row.value("seller", in: "invoice"), try row.value("sellerName", in: "invoice"),
                        references.map { $0.split(separator: "\n").map(String.init) } ?? []
                    )
                }
                let line = InvoiceLineRecord(
                    invoiceNumber: invoice.number, seller: invoice.seller, lineID: try row.value("lineId", in: "invoiceLine"),
                    buyersItemID: try row.value("buyersItemId", in: "invoiceLine"), sellersItemID: try row.value("sellersItemId", in: "invoiceLine"),
                    objectReference: try row.value("objectReference", in: "invoiceLine"), contractReferences: invoice.references,
                    note: try row.value("note", in: "invoiceLine"), amount: try row.value("amount", in: "invoiceLineMonth")
                )
                lines.append((line, invoice.sellerName))
            }
            let findings = try Row.fetchAll(
                db,
                sql: """
                    SELECT i.number, i.seller, i.sellerName, f.kind, f.rule, f.lineId, f.message
                    FROM finding f JOIN invoice i ON i.id = f.invoiceId
                    WHERE i.id IN (SELECT invoiceId FROM invoiceLineMonth WHERE period = ?)
                       OR substr(coalesce(i.periodStart, i.issueDate), 1, 7) = ?
                    ORDER BY i.id, f.id
                    """, arguments: [period, period]
            ).map { row in
                InvoiceFinding(
                    invoice: try row.value("number", in: "invoice"), seller: try row.value("seller", in: "invoice"),
                    sellerName: try row.value("sellerName", in: "invoice"), kind: try row.value("kind", in: "finding"),
                    rule: try row.value("rule", in: "finding"), line: try row.value("lineId", in: "finding"),
                    message: try row.value("message", in: "finding"))
            }
            return try Reconciliation.assemble(
                period: period, leases: leases, landlords: landlords, lines: lines, findings: findings,
                district: district, reconciler: reconciler)
        }
    }
}
