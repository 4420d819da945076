import Foundation
import GRDB
import SubletDomain
import Testing

@testable import SubletStorage

@Suite struct SchemaTests {
    @Test func initCreatesAPrivateWALDatabaseAndIsIdempotent() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("sublet.sqlite")
        let (_, outcome) = try SubletDatabase.initialize(at: path)
        #expect(outcome == .created)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let journal = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        #expect(try SubletDatabase.initialize(at: path).1 == .upToDate)
    }

    @Test func openingAMissingDatabaseSaysHowToCreateIt() {
        let folder = TemporaryDirectory()
        #expect {
            _ = try SubletDatabase.open(at: folder.file("nope.sqlite"))
        } throws: { error in
            guard case .missing = error as? StorageError else { return false }
            return "\(error)".contains("sublet init")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("nope.sqlite")))
    }

    @Test func aDatabaseFromANewerSubletIsRefused() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("sublet.sqlite")
        _ = try SubletDatabase.initialize(at: path)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        for attempt in [{ _ = try SubletDatabase.open(at: path) }, { _ = try SubletDatabase.initialize(at: path) }] {
            #expect {
                try attempt()
            } throws: { error in
                guard case .newerSchema = error as? StorageError else { return false }
                return "\(error)".contains("newer version of Sublet")
            }
        }
    }

    @Test func anOlderDatabaseIsMigratedForwardByInitOnly() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("old.sqlite")
        // An empty SQLite file stands for a database before the first migration.
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE legacy (x)") }
        #expect {
            _ = try SubletDatabase.open(at: path)
        } throws: { error in
            guard case .olderSchema = error as? StorageError else { return false }
            return "\(error)".contains("sublet init")
        }
        let (_, outcome) = try SubletDatabase.initialize(at: path)
        #expect(outcome == .migrated(Schema.migrator.migrations))
        _ = try SubletDatabase.open(at: path)
    }

    @Test func aVersion1DatabaseKeepsItsDataThroughTheMigration() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("v1.sqlite")
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v1-register-and-notices")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO district (code, name, createdAt) VALUES ('RK', 'Rinkeby-Kista', 'then')")
        }
        try queue.close()
        #expect(throws: StorageError.self) { try SubletDatabase.open(at: path) }
        let (database, outcome) = try SubletDatabase.initialize(at: path)
        #expect(
            outcome
                == .migrated([
                    "v2-corrections-and-fees", "v3-reconciliation", "v4-protected-history", "v5-counters-hold-the-last-number",
                    "v6-tallies-and-indexes", "v7-correction-vat", "v8-payments", "v9-search",
                ]))
        #expect(try database.districts() == [District(code: "RK", name: "Rinkeby-Kista")])
        #expect(try database.fees().isEmpty)
    }

    @Test func aFileThatIsNotADatabaseIsReportedWithItsPath() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("text.sqlite")
        try Data("not a database, just text that is long enough to look like a header ....................".utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SubletDatabase.open(at: path)
        } throws: { error in
            guard case .cannotOpen = error as? StorageError else { return false }
            return "\(error)".contains(path)
        }
    }
}

@Suite struct ImmutabilityTests {
    /// A database with one issued notice.
    private func issued() throws -> SubletDatabase {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(charges: ["Parkering=450"]), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        return database
    }

    @Test(arguments: [
        "UPDATE notice SET total = 1",
        "UPDATE notice SET dueDate = '2027-01-01'",
        "DELETE FROM notice",
        "UPDATE noticeLine SET amount = 1",
        "DELETE FROM noticeLine",
        "INSERT INTO noticeLine (noticeId, position, text, amount, vatRate, vatAmount) VALUES (1, 9, 'Extra', 100, 0, 0)",
    ])
    func issuedNoticesCannotBeEdited(sql: String) throws {
        let database = try issued()
        let before = try database.notice(number: "2026-000001")
        #expect {
            try database.writer.write { try $0.execute(sql: sql) }
        } throws: { error in
            (error as? DatabaseError)?.message?.contains("issued notices are immutable") == true
        }
        #expect(try database.notice(number: "2026-000001") == before)
    }

    @Test(arguments: ["DELETE FROM contract", "UPDATE auditLog SET actor = 'someone else'", "DELETE FROM auditLog"])
    func contractsAndTheAuditLogAreNeverRemoved(sql: String) throws {
        let database = try issued()
        #expect(throws: DatabaseError.self) { try database.writer.write { try $0.execute(sql: sql) } }
    }

    @Test func aContractHasOneRegularNoticePerPeriod() throws {
        let database = try issued()
        #expect {
            try database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO notice (id, number, contractId, period, kind, issueDate, dueDate, ocr, total, createdAt, createdBy)
                        VALUES (99, 'X', 1, '2026-12', 'regular', '2026-11-26', '2026-12-07', '1', 0, 'now', 'me')
                        """)
            }
        } throws: { error in
            (error as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT
        }
    }

    @Test func theCheckFindsANoticeWhoseTotalIsNotItsLines() throws {
        let database = try issued()
        #expect(try database.check().isHealthy)
        // Bypass the seal the way only a broken tool could: triggers off.
        try database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER noticeLine_sealed")
            try db.execute(sql: "INSERT INTO noticeLine (noticeId, position, text, amount, vatRate, vatAmount) VALUES (1, 9, 'Extra', 100, 0, 0)")
        }
        let check = try database.check()
        #expect(!check.isHealthy)
        #expect(check.totalProblems == ["notice 2026-000001: total 830000 öre, lines 830100 öre"])
    }
}

/// Issue #8: every counter holds the last number issued; the contract and lease counters, which
/// held the next one, are moved back by the migration and numbering goes on without a gap.
@Suite struct CounterMigrationTests {
    @Test func contractAndLeaseCountersHoldTheLastNumberAfterMigrating() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("v4.sqlite")
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v4-protected-history")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO counter (name, value) VALUES ('contract', 4), ('lease', 8), ('notice-2026', 12)")
        }
        try queue.close()
        let (database, outcome) = try SubletDatabase.initialize(at: path)
        #expect(
            outcome == .migrated(["v5-counters-hold-the-last-number", "v6-tallies-and-indexes", "v7-correction-vat", "v8-payments", "v9-search"]))
        let counters = try database.writer.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, value FROM counter").map { ($0["name"] as String, $0["value"] as Int) })
        }
        #expect(counters == ["contract": 3, "lease": 7, "notice-2026": 12])
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: .fixture())
        #expect(try database.addContract(.fixture(), context: .fixture()).number == "AH-000004")
        #expect(try database.check().isHealthy)
    }
}

/// Issue #8: `sublet stats` reads notice tallies kept by a trigger. The migration counts the
/// notices already issued, every later notice is counted as it is written, and `db check`
/// recounts.
@Suite struct NoticeTallyTests {
    static func tallies(_ database: SubletDatabase) throws -> [String] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM noticeTally ORDER BY 1, 2, 3, 4").map { row in
                "\(row["districtCode"] as String) \(row["period"] as String) \(row["issueMonth"] as String) \(row["regular"] as Int) \(row["count"] as Int)"
            }
        }
    }

    @Test func theMigrationCountsWhatWasIssuedAndTheTriggerWhatFollows() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("v5.sqlite")
        do {
            // A v5 database with notices: written through today's code, then v6 taken away again.
            let (database, _) = try SubletDatabase.initialize(at: path)
            try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: .fixture())
            _ = try database.addContract(.fixture(start: "2026-01-01"), context: .fixture())
            _ = try database.addContract(.fixture(start: "2026-01-01"), context: .fixture())
            _ = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
            try database.writer.writeWithoutTransaction { db in
                try db.execute(
                    sql: """
                        DROP TRIGGER noticeTally_counts_only_up; DROP TRIGGER noticeTally_never_deleted;
                        DROP INDEX contract_new_registered; DROP INDEX notice_correction_contract; DROP TABLE noticeTally;
                        DELETE FROM grdb_migrations WHERE identifier = 'v6-tallies-and-indexes';
                        """)
            }
            try database.writer.close()
        }
        let (database, outcome) = try SubletDatabase.initialize(at: path)
        #expect(outcome == .migrated(["v6-tallies-and-indexes"]))
        #expect(try Self.tallies(database) == ["RK 2026-12 2026-11 1 2"])
        _ = try database.changeContract(
            number: "AH-000001", change: .rent(Money(kronor: 9000), from: CalendarDate("2026-12-01")!),
            context: .fixture(), basis: .actualDays)
        _ = try database.issueRegularNotices(.fixture(period: "2027-01"), context: .fixture())
        #expect(try Self.tallies(database) == ["RK 2026-12 2026-11 1 2", "RK 2027-01 2026-11 1 2"])
        #expect(try database.check().isHealthy)
        let indicators = try database.indicators(range: .year(2026)!)
        #expect(indicators.cells["RK"]?[BillingPeriod("2026-12")!]?.administeredContracts == 2)
        #expect(indicators.cells["RK"]?[BillingPeriod("2026-11")!]?.noticesIssued == 4)
    }

    /// A count never goes down and never moves; one raised by hand is found by `db check`.
    @Test(arguments: ["UPDATE noticeTally SET count = 1", "DELETE FROM noticeTally", "UPDATE noticeTally SET period = '2030-01'"])
    func talliesCannotBeRewritten(statement: String) throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(), context: .fixture())
        _ = try database.addContract(.fixture(), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        let before = try Self.tallies(database)
        #expect(throws: DatabaseError.self) { try database.writer.write { try $0.execute(sql: statement) } }
        #expect(try Self.tallies(database) == before)
    }

    @Test func theCheckRecountsTheTallies() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        try database.writer.write { try $0.execute(sql: "UPDATE noticeTally SET count = 5") }
        let check = try database.check()
        #expect(check.totalProblems == ["notice tally RK 2026-12: 5 tallied, 1 notices"])
        #expect(check.triggerProblems.isEmpty)
    }
}

/// Issue #8: v7 rebuilds `correctionMonth` (a month may now differ in VAT only) and keeps its
/// rows, indexes and triggers.
@Suite struct CorrectionVATMigrationTests {
    @Test func aVersion6DatabaseKeepsItsCorrections() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("v6.sqlite")
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v6-tallies-and-indexes")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO district (code, name, createdAt) VALUES ('RK', 'Rinkeby-Kista', 'then');
                    INSERT INTO contract (id, number, districtCode, tenantName, personalNumber, address, startDate, origin, registeredAt, registeredOn)
                        VALUES (1, 'AH-000001', 'RK', 'Anna', '198503121231', 'Kistagången 2', '2026-01-01', 'new', 'then', '2026-01-01');
                    INSERT INTO correction (id, number, contractId, change, recordedAt, recordedOn, actor, affectedNotices, total)
                        VALUES (1, 'K-2026-000001', 1, 'rent', 'then', '2026-06-20', 'anna', 2, 500);
                    INSERT INTO correctionMonth (correctionId, period, billed, correct, difference)
                        VALUES (1, '2026-04', 8300, 8550, 250), (1, '2026-05', 8300, 8550, 250);
                    """)
        }
        let dependents = "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE tbl_name = 'correctionMonth' ORDER BY name)"
        let before = try queue.read { try String.fetchOne($0, sql: dependents) }
        try queue.close()
        let (database, outcome) = try SubletDatabase.initialize(at: path)
        #expect(outcome == .migrated(["v7-correction-vat", "v8-payments", "v9-search"]))
        let correction = try database.correction(number: "K-2026-000001")
        #expect(correction.months.map(\.difference) == [Money(ore: 250), Money(ore: 250)])
        #expect(correction.months.allSatisfy { $0.byRate == [0: Money(ore: 250)] })
        #expect(try database.writer.read { try String.fetchOne($0, sql: dependents) } == before)
        #expect(try database.check().isHealthy)
        #expect(throws: DatabaseError.self) { try database.writer.write { try $0.execute(sql: "DELETE FROM correctionMonth") } }
    }
}
