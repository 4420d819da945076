import GRDB
import SubletDomain

extension Schema {
    /// v6: the notices counted per district, month billed, month issued and kind, so that
    /// `sublet stats` reads a few hundred tally rows instead of every notice of the year
    /// (docs/performance.md). The monthly run, which writes every notice, adds what it wrote at
    /// the end of its transaction (`NoticeRun`; a trigger per notice made the run 40 % slower).
    /// Notices are never updated or deleted, so a count only grows; `db check` recounts and
    /// compares. New contracts are found by an index on their registration date, and a
    /// contract's correction notices by one on the contract (its regular notices have one
    /// already): `contract show` read every notice before. Both indexes are partial, so neither
    /// the import of a legacy register nor the monthly run maintains them.
    static func registerTallies(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-tallies-and-indexes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE noticeTally (
                        districtCode TEXT NOT NULL,
                        period TEXT NOT NULL,
                        issueMonth TEXT NOT NULL,
                        regular INTEGER NOT NULL CHECK (regular IN (0, 1)),
                        count INTEGER NOT NULL CHECK (count > 0),
                        PRIMARY KEY (districtCode, period, issueMonth, regular)
                    ) WITHOUT ROWID;
                    INSERT INTO noticeTally (districtCode, period, issueMonth, regular, count)
                        SELECT k.districtCode, n.period, substr(n.issueDate, 1, 7), n.kind = 'regular', count(*)
                        FROM notice n JOIN contract k ON k.id = n.contractId GROUP BY 1, 2, 3, 4;
                    CREATE TRIGGER noticeTally_counts_only_up BEFORE UPDATE ON noticeTally
                    WHEN NEW.count <= OLD.count OR NEW.districtCode IS NOT OLD.districtCode OR NEW.period IS NOT OLD.period
                        OR NEW.issueMonth IS NOT OLD.issueMonth OR NEW.regular IS NOT OLD.regular BEGIN
                        SELECT RAISE(ABORT, 'notice tallies only count notices as they are issued');
                    END;
                    CREATE TRIGGER noticeTally_never_deleted BEFORE DELETE ON noticeTally BEGIN
                        SELECT RAISE(ABORT, 'notice tallies only count notices as they are issued');
                    END;
                    CREATE INDEX contract_new_registered ON contract(registeredOn, districtCode) WHERE origin = 'new';
                    CREATE INDEX notice_correction_contract ON notice(contractId) WHERE kind = 'correction';
                    """)
        }
    }

    /// Adds notices written to the tallies.
    static func addTallies(_ counts: [NoticeTallyKey: Int], _ db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO noticeTally (districtCode, period, issueMonth, regular, count) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET count = count + excluded.count
                """)
        for (key, count) in counts where count > 0 {
            try upsert.execute(arguments: [key.district, key.period, key.issueMonth, key.regular ? 1 : 0, count])
        }
    }

    /// Tallies that differ from a recount of the notices (empty when they agree).
    static func tallyProblems(_ db: Database) throws -> [String] {
        try Row.fetchAll(
            db,
            sql: """
                WITH recount AS (
                    SELECT k.districtCode, n.period, substr(n.issueDate, 1, 7) AS issueMonth, n.kind = 'regular' AS regular, count(*) AS count
                    FROM notice n JOIN contract k ON k.id = n.contractId GROUP BY 1, 2, 3, 4
                )
                SELECT r.districtCode, r.period, r.issueMonth, r.regular, r.count AS counted, t.count AS tallied
                FROM recount r LEFT JOIN noticeTally t USING (districtCode, period, issueMonth, regular) WHERE t.count IS NOT r.count
                UNION ALL
                SELECT t.districtCode, t.period, t.issueMonth, t.regular, 0, t.count
                FROM noticeTally t LEFT JOIN recount r USING (districtCode, period, issueMonth, regular) WHERE r.count IS NULL
                """
        ).map { row in
            let district: String = try row.value("districtCode", in: "noticeTally")
            let period: String = try row.value("period", in: "noticeTally")
            let counted: Int = try row.value("counted", in: "noticeTally")
            let tallied: Int? = try row.value("tallied", in: "noticeTally")
            return "notice tally \(district) \(period): \(tallied ?? 0) tallied, \(counted) notices"
        }
    }
}

/// What a notice is counted under.
struct NoticeTallyKey: Hashable {
    var district: String
    var period: BillingPeriod
    var issueMonth: BillingPeriod
    var regular: Bool
}
