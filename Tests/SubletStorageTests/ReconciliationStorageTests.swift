import Foundation
import GRDB
import SubletDomain
import Testing

@testable import SubletStorage

private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func kr(_ text: String) -> Money { try! Money.parse(text, allowNegative: true) }

/// An invoice from landlord 556900-1232 for April 2025 with one line per (object id, amount).
private func invoice(
    _ number: String, kind: SupplierInvoice.Kind = .invoice, lines: [(String, String)], period: (String, String)? = ("2025-04-01", "2025-04-30")
) -> SupplierInvoice {
    var document = SupplierInvoice(kind: kind)
    document.number = number
    document.issueDate = "2025-03-25"
    document.currency = "SEK"
    document.seller.legalCompanyID = "5569001232"
    document.seller.registrationName = "Exempelbostäder AB"
    document.periodStart = period?.0
    document.periodEnd = period?.1
    let total = lines.compactMap { ExactDecimal($0.1) }.reduce(ExactDecimal.zero) { (try? $0 + $1) ?? $0 }.description
    for (index, (object, amount)) in lines.enumerated() {
        var line = SupplierInvoice.Line()
        line.id = String(index + 1)
        line.sellersItemID = object
        line.amount = SupplierInvoice.Amount(text: amount, currency: "SEK")
        line.priceAmount = SupplierInvoice.Amount(text: amount.hasPrefix("-") ? String(amount.dropFirst()) : amount, currency: "SEK")
        line.quantity = amount.hasPrefix("-") ? "-1" : "1"
        line.taxCategory = "E"
        line.taxPercent = "0"
        line.note = "rad \(index + 1)"
        document.lines.append(line)
    }
    for keyPath in [\SupplierInvoice.lineExtensionAmount, \.taxExclusiveAmount, \.taxInclusiveAmount, \.payableAmount] {
        document[keyPath: keyPath] = SupplierInvoice.Amount(text: total, currency: "SEK")
    }
    var tax = SupplierInvoice.TaxTotal()
    tax.taxAmount = SupplierInvoice.Amount(text: "0", currency: "SEK")
    var subtotal = SupplierInvoice.TaxSubtotal()
    subtotal.taxableAmount = SupplierInvoice.Amount(text: total, currency: "SEK")
    subtotal.taxAmount = SupplierInvoice.Amount(text: "0", currency: "SEK")
    subtotal.category = "E"
    subtotal.percent = "0"
    tax.subtotals = [subtotal]
    document.taxTotals = [tax]
    return document
}

private extension SubletDatabase {
    func ingest(_ name: String, _ documents: [SupplierInvoice], today: String = "2025-05-20") throws -> IngestOutcome {
        try ingest(InboundFile(name: name, sha256: name, bytes: 1), context: .fixture(today: today)) { store in
            for document in documents { try store(document) }
        }
    }

    static func withLeases() throws -> SubletDatabase {
        let database = try SubletDatabase.inMemory()
        let context = ChangeContext.fixture(today: "2025-01-10")
        try database.addDistrict(District(code: "SK", name: "Skarpnäck"), context: context)
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: context)
        try database.addLandlord(
            Landlord(organisationNumber: try OrganisationNumber(parsing: "556900-1232"), name: "Exempelbostäder AB"), context: context)
        for (id, object, district, rent, start) in [
            ("TL-1", "A", "SK", "8450", "2024-01-01"), ("TL-2", "B", "SK", "8060", "2025-04-15"),
            ("TL-3", "C", "SK", "7000", "2024-01-01"), ("TL-4", "D", "RK", "6000", "2024-01-01"),
        ] {
            let lease = try HeadLease.validate(
                LeaseInput([.landlord: "5569001232", .objectID: object, .district: district, .rent: rent, .startDate: start])
            ).get().lease
            _ = try database.addLease(lease, id: id, context: context)
        }
        return database
    }
}

@Suite struct ReconciliationStorageTests {
    let reconciler = Reconciler(tolerance: .zero, graceDays: 10, today: date("2025-05-20"))

    @Test func aMonthIsReconciledPerLease() throws {
        let database = try SubletDatabase.withLeases()
        let outcome = try database.ingest("a.xml", [invoice("F-1", lines: [("A", "8450.00"), ("B", "4300.00"), ("X", "100.00"), ("D", "6000.00")])])
        #expect(outcome.invoices == 1)
        #expect(outcome.periods == [BillingPeriod("2025-04")!])
        let result = try database.reconcile(period: BillingPeriod("2025-04")!, reconciler: reconciler)
        let statuses = Dictionary(uniqueKeysWithValues: result.rows.map { ($0.lease.id, $0.status) })
        #expect(statuses == ["TL-1": .ok, "TL-2": .overbilled, "TL-3": .missing, "TL-4": .ok])
        #expect(result.rows.first { $0.lease.id == "TL-2" }?.expected == kr("8060").portion(16, of: 30))
        #expect(result.unmatched.map(\.line) == ["3"])
        #expect(result.unmatched.first?.reason == "no single head lease of this landlord matches: seller's item id X")
        #expect(result.rows(district: "RK").map(\.lease.id) == ["TL-4"])
        #expect(try database.reconcile(period: BillingPeriod("2025-04")!, district: "RK", reconciler: reconciler).rows.count == 1)
    }

    @Test func creditNotesCountNegative() throws {
        let database = try SubletDatabase.withLeases()
        _ = try database.ingest("a.xml", [invoice("F-1", lines: [("A", "8450.00")])])
        _ = try database.ingest("b.xml", [invoice("K-1", kind: .creditNote, lines: [("A", "1000.00")])])
        let row = try #require(try database.reconcile(period: BillingPeriod("2025-04")!, reconciler: reconciler).rows.first { $0.lease.id == "TL-1" })
        #expect(row.invoiced == kr("7450"))
        #expect(row.status == .underbilled)
        #expect(row.invoices == ["F-1", "K-1"])
    }

    @Test func theSameFileIsANoOpAndTheSameInvoiceElsewhereIsADuplicate() throws {
        let database = try SubletDatabase.withLeases()
        _ = try database.ingest("a.xml", [invoice("F-1", lines: [("A", "8450.00")])])
        #expect(try database.ingest("a.xml", [invoice("F-1", lines: [("A", "8450.00")])]).alreadyIngested)
        let again = try database.ingest("b.xml", [invoice("F-1", lines: [("A", "8450.00")])])
        #expect(again.duplicates == 1)
        #expect(again.invoices == 0)
        let row = try #require(try database.reconcile(period: BillingPeriod("2025-04")!, reconciler: reconciler).rows.first { $0.lease.id == "TL-1" })
        #expect(row.invoiced == kr("8450"))
        let findings = try database.reconcile(period: BillingPeriod("2025-04")!, reconciler: reconciler).findings
        #expect(findings.map(\.kind) == ["duplicate_invoice"])
        #expect(try database.invoices().count == 2)
    }

    @Test func aRejectedFileLeavesNothingBehind() throws {
        let database = try SubletDatabase.withLeases()
        let before = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM invoiceLine") }
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            _ = try database.ingest(InboundFile(name: "bad.xml", sha256: "bad", bytes: 1), context: .fixture()) { store in
                try store(invoice("F-9", lines: [("A", "8450.00")]))
                throw Refused()
            }
        }
        #expect(try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM invoiceLine") } == before)
        #expect(try database.invoices().isEmpty)
        // Not remembered as taken in: the fixed file can come again.
        #expect(
            try database.ingest(InboundFile(name: "bad.xml", sha256: "bad", bytes: 1), context: .fixture()) {
                try $0(invoice("F-9", lines: [("A", "1")]))
            }.invoices == 1)
    }

    @Test func ruleFailuresAreStoredNotRejected() throws {
        let database = try SubletDatabase.withLeases()
        var broken = invoice("F-1", lines: [("A", "8450.00")])
        broken.lineExtensionAmount = SupplierInvoice.Amount(text: "8000.00", currency: "SEK")
        let outcome = try database.ingest("a.xml", [broken])
        #expect(outcome.ruleFailures >= 1)
        let stored = try #require(try database.invoices().first)
        #expect(try database.invoice(id: stored.id).findings.contains { $0.rule == "BR-CO-10" })
    }

    /// The months an invoice was split into, its findings and its file stay as received: SQLite
    /// refuses to change them outside the application (schema v4), and `db check` stays healthy.
    @Test(arguments: [
        "UPDATE invoiceLineMonth SET amount = 1", "DELETE FROM invoiceLineMonth", "UPDATE invoiceLineMonth SET period = '2030-01'",
        "UPDATE finding SET message = 'fine'", "DELETE FROM finding",
        "UPDATE inboundFile SET sha256 = 'x'", "DELETE FROM inboundFile",
    ])
    func whatAnInvoiceSaidCannotBeRewritten(statement: String) throws {
        let database = try SubletDatabase.withLeases()
        var broken = invoice("F-1", lines: [("A", "8450.00")], period: ("2025-04-01", "2025-05-31"))
        broken.lineExtensionAmount = SupplierInvoice.Amount(text: "8000.00", currency: "SEK")
        _ = try database.ingest("a.xml", [broken])
        let counts =
            "SELECT (SELECT count(*) FROM invoiceLineMonth), (SELECT sum(amount) FROM invoiceLineMonth), (SELECT count(*) FROM finding), (SELECT group_concat(sha256) FROM inboundFile)"
        let before = try database.writer.read { try Row.fetchOne($0, sql: counts) }
        #expect(try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM invoiceLineMonth") } == 2)
        #expect(throws: DatabaseError.self) { try database.writer.write { try $0.execute(sql: statement) } }
        #expect(try database.writer.read { try Row.fetchOne($0, sql: counts) } == before)
        #expect(try database.check().isHealthy)
    }

    @Test func aPeriodOverSeveralMonthsIsSplitByDays() throws {
        let database = try SubletDatabase.withLeases()
        _ = try database.ingest("q.xml", [invoice("F-Q", lines: [("C", "21000.00")], period: ("2025-04-01", "2025-06-30"))])
        for (month, amount) in [("2025-04", "6923.08"), ("2025-05", "7153.85"), ("2025-06", "6923.07")] {
            let row = try database.reconcile(period: BillingPeriod(month)!, reconciler: reconciler).rows.first { $0.lease.id == "TL-3" }
            #expect(row?.invoiced == kr(amount))
        }
    }

    @Test func subscriptionsHaveDates() throws {
        let database = try SubletDatabase.withLeases()
        try database.setReconciliation(district: "SK", enabled: true, from: BillingPeriod("2025-03")!, context: .fixture())
        try database.setReconciliation(district: "SK", enabled: false, from: BillingPeriod("2025-07")!, context: .fixture())
        try database.setReconciliation(district: "RK", enabled: true, from: BillingPeriod("2025-05")!, context: .fixture())
        #expect(try database.subscribedDistricts(in: BillingPeriod("2025-02")!).isEmpty)
        #expect(try database.subscribedDistricts(in: BillingPeriod("2025-04")!).map(\.code) == ["SK"])
        #expect(try database.subscribedDistricts(in: BillingPeriod("2025-06")!).map(\.code) == ["RK", "SK"])
        #expect(try database.subscribedDistricts(in: BillingPeriod("2025-07")!).map(\.code) == ["RK"])
    }

    @Test func leasesImportAllOrNothing() throws {
        let database = try SubletDatabase.withLeases()
        let csv = """
            id;landlord;object_id;district;rent;start_date;kind
            TL-9;556900-1232;E;SK;7500,00;2025-01-01;trial
            TL-1;556900-1232;F;SK;7500;2025-01-01;training
            ;556036-0793;G;ZZ;7500;2025-01-01;
            """
        var reader = try LeaseImportReader(bytes: Array(csv.utf8))
        #expect {
            _ = try database.importLeases(from: &reader, source: "leases.csv", context: .fixture())
        } throws: { error in
            let problems = (error as? ImportProblems)?.problems.map(\.description) ?? []
            return problems.contains("line 3, column 1 (id): lease TL-1 already exists")
                && problems.contains { $0.hasPrefix("line 4, column 2 (landlord): landlord 5560360793 is not registered") }
                && problems.contains { $0.hasPrefix("line 4, column 4 (district): district ZZ does not exist") }
        }
        #expect(try database.leases().count == 4)
        var good = try LeaseImportReader(bytes: Array(csv.split(separator: "\n").prefix(2).joined(separator: "\n").utf8))
        #expect(try database.importLeases(from: &good, source: "leases.csv", context: .fixture()) == 1)
        #expect(try database.lease(id: "TL-9").kind == .trial)
    }

    @Test func invoicesAreKeptAsReceived() throws {
        let database = try SubletDatabase.withLeases()
        _ = try database.ingest("a.xml", [invoice("F-1", lines: [("A", "8450.00")])])
        for sql in ["UPDATE invoice SET payable = 0", "DELETE FROM invoiceLine", "UPDATE invoiceLine SET amount = 1"] {
            #expect(throws: DatabaseError.self) { try database.writer.write { try $0.execute(sql: sql) } }
        }
    }
}
