import Foundation
import GRDB
import SubletDomain

/// A file about to be taken in.
public struct InboundFile: Sendable {
    public var name: String
    /// Hex SHA-256 of the content: the same content twice is a no-op.
    public var sha256: String
    public var bytes: Int

    public init(name: String, sha256: String, bytes: Int) {
        self.name = name
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// What taking in one file did.
public struct IngestOutcome: Sendable, Equatable {
    /// The same content was taken in before: nothing was done.
    public var alreadyIngested = false
    public var invoices = 0
    public var duplicates = 0
    public var ruleFailures = 0
    /// The months the file's lines bill.
    public var periods: Set<BillingPeriod> = []
    public init() {}
}

/// An invoice as stored, with its lines and findings.
public struct StoredInvoice: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var lineID: String?
        public var amount: Money
        public var quantity: String?
        public var unitCode: String?
        public var itemName: String?
        public var note: String?
        public var sellersItemID: String?
        public var buyersItemID: String?
        public var objectReference: String?
        public var periodStart: String?
        public var periodEnd: String?
        public var months: [BillingPeriod: Money]
    }

    public struct Finding: Sendable, Equatable {
        public var kind: String
        public var rule: String?
        public var line: String?
        public var message: String
    }

    public var id: Int64
    public var kind: SupplierInvoice.Kind
    public var number: String
    public var seller: String?
    public var sellerName: String?
    public var issueDate: CalendarDate
    public var dueDate: String?
    public var currency: String
    public var periodStart: String?
    public var periodEnd: String?
    public var contractReferences: [String]
    public var buyerReference: String?
    public var orderReference: String?
    public var payable: Money
    public var file: String
    public var sourceLine: Int
    public var duplicateOf: Int64?
    public var lines: [Line]
    public var findings: [Finding]
}

extension SubletDatabase {
    /// Takes in one file in one transaction: `documents` hands over each parsed document and
    /// throws to reject the file, which then leaves nothing behind. The same content taken in
    /// before is a no-op; the same invoice (seller and number) in another file is stored as a
    /// duplicate that never counts.
    public func ingest(
        _ file: InboundFile, context: ChangeContext, documents: ((SupplierInvoice) throws -> Void) throws -> Void
    ) throws -> IngestOutcome {
        try write { db in
            var outcome = IngestOutcome()
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM inboundFile WHERE sha256 = ?", arguments: [file.sha256]) == true {
                outcome.alreadyIngested = true
                // The months it bills, so that a file stored but never moved (a crash in between,
                // a full archive disk) still gets its reports rebuilt when it is seen again.
                let periods = try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT m.period FROM invoiceLineMonth m JOIN invoice i ON i.id = m.invoiceId
                        JOIN inboundFile f ON f.id = i.fileId WHERE f.sha256 = ?
                        """, arguments: [file.sha256])
                outcome.periods = Set(periods.compactMap(BillingPeriod.init))
                return outcome
            }
            try db.execute(
                sql: "INSERT INTO inboundFile (sha256, name, bytes, receivedAt) VALUES (?, ?, ?, ?)",
                arguments: [file.sha256, file.name, file.bytes, context.timestamp])
            var store = try InvoiceStore(db: db, fileID: db.lastInsertedRowID)
            try documents { document in try store.store(document, outcome: &outcome) }
            try store.finish()
            try db.execute(
                sql: "UPDATE inboundFile SET documents = ? WHERE id = ?", arguments: [outcome.invoices + outcome.duplicates, store.fileID])
            try audit(
                db, context: context, action: "invoices.ingest", entity: "file", key: file.name,
                detail:
                    "\(outcome.invoices) invoice(s), \(outcome.duplicates) duplicate(s), \(outcome.ruleFailures) rule failure(s); sha256 \(file.sha256)"
            )
            return outcome
        }
    }

    /// Invoices, newest first; one landlord's, or those billing a month.
    public func invoices(landlord: String? = nil, period: BillingPeriod? = nil) throws -> [StoredInvoice] {
        try read { db in
            var filter = QueryFilter()
            if let landlord { filter.add("i.seller = ?", landlord) }
            if let period {
                filter.add(
                    "(i.id IN (SELECT invoiceId FROM invoiceLineMonth WHERE period = ?) OR substr(coalesce(i.periodStart, i.issueDate), 1, 7) = ?)",
                    period.description, period.description)
            }
            return try loadInvoices(db, where: filter.condition, arguments: filter.arguments, details: false)
        }
    }

    public func invoice(id: Int64) throws -> StoredInvoice {
        try read { db in
            guard let invoice = try loadInvoices(db, where: "i.id = ?", arguments: [id], details: true).first else {
                throw StorageError.notFound("invoice \(id)")
            }
            return invoice
        }
    }

    /// Invoices as stored; the texts a landlord wrote come back with personal numbers masked
    /// (`SensitiveText`): every screen and file that shows them is covered.
    func loadInvoices(_ db: Database, where condition: String, arguments: StatementArguments, details: Bool) throws -> [StoredInvoice] {
        func masked(_ text: String?) -> String? { text.map(SensitiveText.masked) }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT i.*, f.name AS fileName FROM invoice i JOIN inboundFile f ON f.id = i.fileId
                \(condition.isEmpty ? "" : "WHERE " + condition) ORDER BY i.id DESC
                """, arguments: arguments)
        return try rows.map { row in
            let id: Int64 = try row.value("id", in: "invoice")
            var lines: [StoredInvoice.Line] = []
            var findings: [StoredInvoice.Finding] = []
            if details {
                var months: [Int: [BillingPeriod: Money]] = [:]
                for month in try Row.fetchAll(db, sql: "SELECT position, period, amount FROM invoiceLineMonth WHERE invoiceId = ?", arguments: [id]) {
                    months[try month.value("position", in: "invoiceLineMonth"), default: [:]][try month.value("period", in: "invoiceLineMonth")] =
                        try month.value("amount", in: "invoiceLineMonth")
                }
                lines = try Row.fetchAll(db, sql: "SELECT * FROM invoiceLine WHERE invoiceId = ? ORDER BY position", arguments: [id]).map {
                    StoredInvoice.Line(
                        lineID: masked(try $0.value("lineId", in: "invoiceLine")), amount: try $0.value("amount", in: "invoiceLine"),
                        quantity: try $0.value("quantity", in: "invoiceLine"), unitCode: try $0.value("unitCode", in: "invoiceLine"),
                        itemName: masked(try $0.value("itemName", in: "invoiceLine")), note: masked(try $0.value("note", in: "invoiceLine")),
                        sellersItemID: masked(try $0.value("sellersItemId", in: "invoiceLine")),
                        buyersItemID: masked(try $0.value("buyersItemId", in: "invoiceLine")),
                        objectReference: masked(try $0.value("objectReference", in: "invoiceLine")),
                        periodStart: try $0.value("periodStart", in: "invoiceLine"), periodEnd: try $0.value("periodEnd", in: "invoiceLine"),
                        months: months[try $0.value("position", in: "invoiceLine")] ?? [:])
                }
            }
            findings = try Row.fetchAll(db, sql: "SELECT kind, rule, lineId, message FROM finding WHERE invoiceId = ? ORDER BY id", arguments: [id])
                .map {
                    StoredInvoice.Finding(
                        kind: try $0.value("kind", in: "finding"), rule: try $0.value("rule", in: "finding"),
                        line: masked(try $0.value("lineId", in: "finding")), message: SensitiveText.masked(try $0.value("message", in: "finding")))
                }
            let references: String? = try row.value("contractReferences", in: "invoice")
            return StoredInvoice(
                id: id, kind: try row.value("kind", in: "invoice"), number: SensitiveText.masked(try row.value("number", in: "invoice")),
                seller: try row.value("seller", in: "invoice"),
                sellerName: masked(try row.value("sellerName", in: "invoice")), issueDate: try row.value("issueDate", in: "invoice"),
                dueDate: try row.value("dueDate", in: "invoice"),
                currency: try row.value("currency", in: "invoice"), periodStart: try row.value("periodStart", in: "invoice"),
                periodEnd: try row.value("periodEnd", in: "invoice"),
                contractReferences: references.map { $0.split(separator: "\n").map { SensitiveText.masked(String($0)) } } ?? [],
                buyerReference: masked(try row.value("buyerReference", in: "invoice")),
                orderReference: masked(try row.value("orderReference", in: "invoice")), payable: try row.value("payable", in: "invoice"),
                file: SensitiveText.masked(try row.value("fileName", in: "invoice")), sourceLine: try row.value("sourceLine", in: "invoice"),
                duplicateOf: try row.value("duplicateOfId", in: "invoice"), lines: lines, findings: findings
            )
        }
    }
}

/// Writes the documents of one file, lines and months many rows per statement.
struct InvoiceStore {
    let db: Database
    let fileID: Int64
    private var nextID: Int64
    private var position = 0
    /// Invoices of this file so far, by seller and number, for duplicates within one file.
    private var seen: [String: Int64] = [:]
    private var lines: BulkInsert
    private var months: BulkInsert

    init(db: Database, fileID: Int64) throws {
        self.db = db
        self.fileID = fileID
        nextID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM invoice") ?? 0) + 1
        lines = BulkInsert(
            db, table: "invoiceLine",
            columns: [
                "invoiceId", "position", "lineId", "amount", "quantity", "unitCode", "itemName", "note", "sellersItemId", "buyersItemId",
                "objectReference", "periodStart", "periodEnd",
            ], rowsPerStatement: 100)
        // Months point at their lines: they are written after the lines, on `flush`.
        months = BulkInsert(db, table: "invoiceLineMonth", columns: ["period", "invoiceId", "position", "amount"], rowsPerStatement: nil)
    }

    mutating func store(_ document: SupplierInvoice, outcome: inout IngestOutcome) throws {
        let id = nextID
        nextID += 1
        position += 1
        let key = InvoiceFiling.identity(seller: document.sellerOrganisationNumber, number: document.number ?? "")
        var duplicateOf = seen[key]
        if duplicateOf == nil {
            duplicateOf = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM invoice WHERE seller IS ? AND number = ? AND duplicateOfId IS NULL"),
                arguments: [document.sellerOrganisationNumber, document.number])
        }
        let filed = try InvoiceFiling.file(document, duplicateOf: duplicateOf)
        try db.cachedStatement(
            sql: """
                INSERT INTO invoice (id, fileId, position, kind, number, seller, sellerName, issueDate, dueDate, currency, periodStart, periodEnd,
                                     contractReferences, buyerReference, orderReference, paymentId, payable, sourceLine, duplicateOfId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            id, fileID, position, document.kind, filed.number, filed.seller, document.seller.registrationName ?? document.seller.tradingName,
            filed.issueDate, document.dueDate, document.currency, document.periodStart, document.periodEnd,
            document.contractReferences.isEmpty ? nil : document.contractReferences.joined(separator: "\n"), document.buyerReference,
            document.orderReference, document.paymentID, filed.payable, document.sourceLine, duplicateOf,
        ])
        if duplicateOf == nil {
            outcome.invoices += 1
            seen[key] = id
        } else {
            outcome.duplicates += 1
        }
        for (index, line) in filed.lines.enumerated() {
            let source = line.source
            lines.bind(id)
            lines.bind(index + 1)
            lines.bind(source.id)
            lines.bind(line.amount.ore)
            for text in [
                source.quantity, source.unitCode, source.itemName, source.note, source.sellersItemID, source.buyersItemID,
                source.objectReferences.first, source.periodStart, source.periodEnd,
            ] {
                lines.bind(text)
            }
            try lines.endRow()
            for month in line.months {
                months.bind(month.period.description)
                months.bind(id)
                months.bind(index + 1)
                months.bind(month.amount.ore)
                try months.endRow()
            }
        }
        outcome.periods.formUnion(filed.periods)
        if months.pendingRows >= 100 { try flush() }
        for finding in filed.findings {
            if finding.kind == .ruleFailure { outcome.ruleFailures += 1 }
            try self.finding(id, kind: finding.kind.rawValue, rule: finding.rule, line: finding.line, message: finding.message)
        }
    }

    private func finding(_ invoiceID: Int64, kind: String, rule: String?, line: String?, message: String) throws {
        try db.cachedStatement(sql: "INSERT INTO finding (invoiceId, lineId, kind, rule, message) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [invoiceID, line, kind, rule, message])
    }

    private mutating func flush() throws {
        try lines.flush()
        try months.flush()
    }

    mutating func finish() throws { try flush() }
}
