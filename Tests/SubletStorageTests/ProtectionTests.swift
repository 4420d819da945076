import Foundation
import GRDB
import SubletDomain
import Testing

@testable import SubletStorage

/// Issue #7: what must not change outside the application is refused by SQLite itself, and
/// `db check` notices when a protective trigger has been dropped or rewritten.
@Suite struct ProtectionTests {
    /// Two contracts noticed for 2026-11 and 2026-12, one correction recorded, and an invoice taken in.
    static func noticedDatabase() throws -> SubletDatabase {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(start: "2026-01-01", charges: ["Parkering=450"]), context: .fixture())
        _ = try database.addContract(.fixture(start: "2026-03-01"), context: .fixture())
        for period in ["2026-11", "2026-12"] {
            _ = try database.issueRegularNotices(.fixture(period: period), context: .fixture())
        }
        _ = try database.changeContract(
            number: "AH-000001", change: .rent(Money(kronor: 8000), from: CalendarDate("2026-11-01")!),
            context: .fixture(), basis: .actualDays)
        return database
    }

    static let tampering = [
        "UPDATE notice SET total = 1",
        "DELETE FROM notice",
        "UPDATE noticeLine SET amount = 1",
        "DELETE FROM noticeLine",
        "INSERT INTO noticeLine (noticeId, position, text, amount, vatRate, vatAmount) VALUES (1, 99, 'x', 1, 0, 0)",
        "DELETE FROM contract WHERE number = 'AH-000001'",
        "UPDATE contract SET personalNumber = '198503121231' WHERE number = 'AH-000002'",
        "UPDATE contract SET districtCode = 'RK', tenantName = 'Someone Else' WHERE number = 'AH-000002'",
        "UPDATE contract SET startDate = '2026-12-15' WHERE number = 'AH-000002'",
        "UPDATE contract SET endDate = '2026-11-30' WHERE number = 'AH-000002'",
        "UPDATE contractTerm SET amount = 1 WHERE contractId = 2",
        "DELETE FROM contractTerm WHERE contractId = 2",
        "INSERT INTO contractTerm (contractId, component, validFrom, amount, vatRate) VALUES (2, 'Hyra', '2026-12-01', 1, 0)",
        "DELETE FROM noticeRun",
        "UPDATE noticeRun SET period = '2030-01'",
        "UPDATE auditLog SET actor = 'nobody'",
        "DELETE FROM auditLog",
        "UPDATE correction SET total = 0",
        "DELETE FROM correctionMonth",
        "UPDATE counter SET value = 0",
        "DELETE FROM counter",
    ]

    @Test(arguments: tampering)
    func tamperingOutsideTheApplicationIsRefused(statement: String) throws {
        let database = try Self.noticedDatabase()
        let before = try database.writer.read { try Self.dump($0) }
        #expect(throws: DatabaseError.self) { try database.writer.write { try $0.execute(sql: statement) } }
        #expect(try database.writer.read { try Self.dump($0) } == before)
        #expect(try database.check().isHealthy)
    }

    /// The application's own paths are not hindered: a change reaching back, a new contract
    /// starting in a noticed month, and a step after the last noticed month.
    @Test func theApplicationStillChangesWhatItMay() throws {
        let database = try Self.noticedDatabase()
        let change = try database.changeContract(
            number: "AH-000002", change: .end(CalendarDate("2026-11-15")!), context: .fixture(),
            basis: .actualDays)
        #expect(change.correction?.months.count == 2)
        _ = try database.addContract(.fixture(start: "2026-11-01"), context: .fixture())
        try database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO contractTerm (contractId, component, validFrom, amount, vatRate) VALUES (1, 'Hyra', '2027-02-01', 900000, 0)")
        }
        #expect(try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM termsChange") } == 0)
        #expect(try database.check().isHealthy)
    }

    @Test func dbCheckNoticesADroppedOrRewrittenTrigger() throws {
        let database = try Self.noticedDatabase()
        try database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER noticeRun_closed_delete")
            try db.execute(sql: "DROP TRIGGER notice_immutable_update")
            try db.execute(sql: "CREATE TRIGGER notice_immutable_update BEFORE UPDATE ON notice BEGIN SELECT 1; END")
            try db.execute(sql: "CREATE TRIGGER helper AFTER INSERT ON district BEGIN SELECT 1; END")
            // Consistent tampering the other checks cannot see: the month is reopened.
            try db.execute(sql: "DELETE FROM noticeRun WHERE period = '2026-12'")
        }
        let check = try database.check()
        #expect(!check.isHealthy)
        #expect(check.integrityProblems.isEmpty && check.foreignKeyProblems.isEmpty && check.totalProblems.isEmpty)
        #expect(
            check.triggerProblems == [
                "trigger noticeRun_closed_delete is missing",
                "trigger notice_immutable_update is not as the schema writes it",
                "trigger helper is not part of Sublet's schema",
            ])
    }

    @Test func theExpectedTriggersAreTheSchemasOwn() {
        #expect(Schema.expectedTriggers.count >= 35)
        #expect(Schema.expectedTriggers["contractTerm_guarded_delete"]?.contains("termsChange") == true)
    }

    static func dump(_ db: Database) throws -> String {
        var text = ""
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            text += "# \(table)\n" + (try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description).joined(separator: "\n")) + "\n"
        }
        return text
    }
}

/// The payment import reads the open notices straight from SQLite's columns (`ColumnReader`):
/// a stored value that is not what the schema promises is an error naming it, and the file is
/// not stored.
@Suite struct StoredValueTests {
    @Test(arguments: [("dueDate", "'2026-13-45'", "2026-13-45"), ("dueDate", "20261127", "20261127"), ("dueDate", "''", "")])
    func aCorruptNoticeRejectsTheImport(column: String, stored: String, shown: String) throws {
        let (database, notices) = try PaymentLedgerTests.register()
        let id = try database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER notice_immutable_update")
            try db.execute(sql: "UPDATE notice SET \(column) = \(stored) WHERE number = ?", arguments: [notices[0].number])
            return try Int64.fetchOne(db, sql: "SELECT id FROM notice WHERE number = ?", arguments: [notices[0].number])
        }
        let payment = IncomingPayment(
            format: .camt054, bankKey: "k", amount: Money(ore: 100), currency: "SEK", paymentDate: CalendarDate("2026-11-27")!,
            references: [notices[1].ocr])
        #expect {
            try database.importPayments(
                PaymentFile(format: .camt054, payments: [payment]), record: InboundFile(name: "f", sha256: "s", bytes: 1),
                matcher: PaymentMatcher(lengthDigit: true), policy: .nextNotice, context: .fixture())
        } throws: { error in
            let expected = StorageError.badStoredValue(
                table: "notice", row: "id \(id ?? -1)", column: column, value: shown)
            return "\(error)" == "\(expected)"
        }
        #expect(try database.payments().isEmpty)
    }
}
