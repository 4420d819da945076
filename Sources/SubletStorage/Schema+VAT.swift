import GRDB
import SubletDomain

extension Schema {
    /// v7: a correction month's difference by VAT rate, so that a change of a charge's VAT is
    /// corrected like any other (docs/rules.md §6). Only months whose difference is not all
    /// exempt have rows; a month without rows (every correction recorded before v7) is exempt.
    /// Such a month may now have a zero difference (the VAT moved, the amount did not), so
    /// `correctionMonth` is rebuilt without the check that forbade it, its rows, indexes and
    /// triggers as they were.
    static func registerCorrectionVAT(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-correction-vat") { db in
            let dependents = try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'correctionMonth' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
            try db.execute(
                sql: """
                    CREATE TABLE correctionMonthRebuilt (
                        correctionId INTEGER NOT NULL REFERENCES correction(id),
                        period TEXT NOT NULL,
                        noticeId INTEGER REFERENCES notice(id),
                        billed INTEGER NOT NULL,
                        correct INTEGER NOT NULL,
                        difference INTEGER NOT NULL CHECK (difference = correct - billed),
                        settledNoticeId INTEGER REFERENCES notice(id),
                        settledRefundId INTEGER REFERENCES refund(id),
                        PRIMARY KEY (correctionId, period)
                    ) WITHOUT ROWID;
                    INSERT INTO correctionMonthRebuilt SELECT correctionId, period, noticeId, billed, correct, difference,
                        settledNoticeId, settledRefundId FROM correctionMonth;
                    DROP TABLE correctionMonth;
                    ALTER TABLE correctionMonthRebuilt RENAME TO correctionMonth;
                    """)
            for sql in dependents { try db.execute(sql: sql) }
            try db.execute(
                sql: """
                    CREATE TABLE correctionMonthVat (
                        correctionId INTEGER NOT NULL,
                        period TEXT NOT NULL,
                        vatRate INTEGER NOT NULL CHECK (vatRate BETWEEN 0 AND 100),
                        difference INTEGER NOT NULL,
                        PRIMARY KEY (correctionId, period, vatRate),
                        FOREIGN KEY (correctionId, period) REFERENCES correctionMonth(correctionId, period)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER correctionMonthVat_immutable_update BEFORE UPDATE ON correctionMonthVat BEGIN
                        SELECT RAISE(ABORT, 'corrections are immutable: record a new correction');
                    END;
                    CREATE TRIGGER correctionMonthVat_immutable_delete BEFORE DELETE ON correctionMonthVat BEGIN
                        SELECT RAISE(ABORT, 'corrections are immutable: record a new correction');
                    END;
                    """)
        }
    }
}

extension SubletDatabase {
    /// The VAT split of the correction months `condition` selects (on `v`, the split, and `m`,
    /// the month), by correction id and month. A month without one is exempt.
    static func correctionVAT(
        _ db: Database, where condition: String = "1", arguments: StatementArguments = []
    ) throws -> [Int64: [BillingPeriod: AmountsByRate]] {
        var result: [Int64: [BillingPeriod: AmountsByRate]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT v.correctionId, v.period, v.vatRate, v.difference
                FROM correctionMonthVat v JOIN correctionMonth m ON m.correctionId = v.correctionId AND m.period = v.period
                WHERE \(condition)
                """, arguments: arguments)
        while let row = try rows.next() {
            let id: Int64 = try row.value("correctionId", in: "correctionMonthVat")
            let period: BillingPeriod = try row.value("period", in: "correctionMonthVat")
            result[id, default: [:]][period, default: [:]][try row.value("vatRate", in: "correctionMonthVat")] =
                try row.value("difference", in: "correctionMonthVat")
        }
        return result
    }

    /// Writes a correction month's VAT split, unless it is all exempt.
    static func recordVAT(_ month: CorrectionMonth, correctionID: Int64, _ db: Database) throws {
        guard !month.isExemptOnly else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO correctionMonthVat (correctionId, period, vatRate, difference) VALUES (?, ?, ?, ?)")
        for (rate, difference) in month.byRate.sorted(by: { $0.key < $1.key }) {
            try insert.execute(arguments: [correctionID, month.period, rate, difference])
        }
    }
}
