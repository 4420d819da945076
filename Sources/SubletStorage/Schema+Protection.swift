import GRDB

extension Schema {
    /// Schema v4 (issue #7): what must not change outside the application is protected by
    /// triggers too, and `sublet db check` verifies that every trigger is there as written.
    ///
    /// - A month the monthly job has run for stays closed: `noticeRun` rows are never deleted or
    ///   edited (deleting one would reopen the month and let a change skip its correction).
    /// - A contract's identity never changes; its dates and its price steps change in months
    ///   already noticed only inside a recorded change: the application marks the contract in
    ///   `termsChange` for the length of its transaction (the row never outlives it), and the
    ///   triggers refuse any other edit that reaches a noticed month.
    /// - What a landlord sent stays as received: an invoice's months and findings, and the file
    ///   record, are never edited or deleted. Number series never go backwards.
    static func registerProtection(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-protected-history") { db in
            try db.execute(
                sql: """
                    -- Contracts whose terms a recorded change is rewriting, inside its transaction only.
                    CREATE TABLE termsChange (contractId INTEGER PRIMARY KEY NOT NULL);

                    CREATE TRIGGER noticeRun_closed_delete BEFORE DELETE ON noticeRun BEGIN
                        SELECT RAISE(ABORT, 'a month the monthly job has run for stays closed');
                    END;
                    CREATE TRIGGER noticeRun_closed_update BEFORE UPDATE ON noticeRun BEGIN
                        SELECT RAISE(ABORT, 'a month the monthly job has run for stays closed');
                    END;

                    CREATE TRIGGER contract_identity_fixed BEFORE UPDATE OF id, number, districtCode, tenantName, personalNumber,
                        address, objectId, origin, registeredAt, registeredOn ON contract BEGIN
                        SELECT RAISE(ABORT, 'a contract''s number, district, tenant and registration never change');
                    END;
                    CREATE TRIGGER contract_dates_guarded BEFORE UPDATE OF startDate, endDate ON contract
                    WHEN (NEW.startDate IS NOT OLD.startDate OR NEW.endDate IS NOT OLD.endDate)
                      AND EXISTS (SELECT 1 FROM notice WHERE contractId = OLD.id AND kind = 'regular')
                      AND NOT EXISTS (SELECT 1 FROM termsChange WHERE contractId = OLD.id) BEGIN
                        SELECT RAISE(ABORT, 'a noticed contract''s dates change only with `sublet contract change` or `contract end`, which record the correction');
                    END;
                    CREATE TRIGGER contractTerm_guarded_insert BEFORE INSERT ON contractTerm
                    WHEN EXISTS (SELECT 1 FROM notice WHERE contractId = NEW.contractId AND kind = 'regular' AND period >= substr(NEW.validFrom, 1, 7))
                      AND NOT EXISTS (SELECT 1 FROM termsChange WHERE contractId = NEW.contractId) BEGIN
                        SELECT RAISE(ABORT, 'the terms of months already noticed change only with `sublet contract change`, which records the correction');
                    END;
                    CREATE TRIGGER contractTerm_guarded_update BEFORE UPDATE ON contractTerm
                    WHEN EXISTS (SELECT 1 FROM notice WHERE contractId IN (OLD.contractId, NEW.contractId) AND kind = 'regular'
                                 AND period >= substr(min(OLD.validFrom, NEW.validFrom), 1, 7))
                      AND NOT EXISTS (SELECT 1 FROM termsChange WHERE contractId = OLD.contractId) BEGIN
                        SELECT RAISE(ABORT, 'the terms of months already noticed change only with `sublet contract change`, which records the correction');
                    END;
                    CREATE TRIGGER contractTerm_guarded_delete BEFORE DELETE ON contractTerm
                    WHEN EXISTS (SELECT 1 FROM notice WHERE contractId = OLD.contractId AND kind = 'regular' AND period >= substr(OLD.validFrom, 1, 7))
                      AND NOT EXISTS (SELECT 1 FROM termsChange WHERE contractId = OLD.contractId) BEGIN
                        SELECT RAISE(ABORT, 'the terms of months already noticed change only with `sublet contract change`, which records the correction');
                    END;

                    CREATE TRIGGER invoiceLineMonth_as_received_update BEFORE UPDATE ON invoiceLineMonth BEGIN
                        SELECT RAISE(ABORT, 'invoices are stored as received');
                    END;
                    CREATE TRIGGER invoiceLineMonth_as_received_delete BEFORE DELETE ON invoiceLineMonth BEGIN
                        SELECT RAISE(ABORT, 'invoices are stored as received');
                    END;
                    CREATE TRIGGER finding_as_received_update BEFORE UPDATE ON finding BEGIN
                        SELECT RAISE(ABORT, 'findings are kept as recorded');
                    END;
                    CREATE TRIGGER finding_as_received_delete BEFORE DELETE ON finding BEGIN
                        SELECT RAISE(ABORT, 'findings are kept as recorded');
                    END;
                    CREATE TRIGGER inboundFile_as_received_update BEFORE UPDATE OF id, sha256, name, bytes, receivedAt ON inboundFile BEGIN
                        SELECT RAISE(ABORT, 'a file taken in is kept as received');
                    END;
                    CREATE TRIGGER inboundFile_as_received_delete BEFORE DELETE ON inboundFile BEGIN
                        SELECT RAISE(ABORT, 'a file taken in is kept as received');
                    END;

                    CREATE TRIGGER counter_forward_only BEFORE UPDATE ON counter WHEN NEW.value < OLD.value OR NEW.name IS NOT OLD.name BEGIN
                        SELECT RAISE(ABORT, 'number series never go backwards');
                    END;
                    CREATE TRIGGER counter_never_deleted BEFORE DELETE ON counter BEGIN
                        SELECT RAISE(ABORT, 'number series never go backwards');
                    END;
                    """)
        }
    }

    /// Schema v5 (issue #8): every number series' counter holds the last number issued. The
    /// contract and lease counters held the next one; they move back by one, the only time a
    /// counter may (the forward-only trigger is lifted for this and put back as it was).
    static func registerCounterMeaning(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-counters-hold-the-last-number") { db in
            let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'counter_forward_only'")
            try db.execute(sql: "DROP TRIGGER counter_forward_only")
            try db.execute(sql: "UPDATE counter SET value = value - 1 WHERE name IN ('contract', 'lease')")
            if let trigger { try db.execute(sql: trigger) }
        }
    }

    /// Every trigger of the current schema, by name, with its SQL: what `db check` expects to
    /// find in a database, computed from the migrations themselves so the two cannot drift.
    static let expectedTriggers: [String: String] = {
        do {
            let queue = try DatabaseQueue()
            try migrator.migrate(queue)
            return try queue.read { try triggers(in: $0) }
        } catch {
            preconditionFailure("the schema's own migrations failed in memory: \(error)")
        }
    }()

    static func triggers(in db: Database) throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").map {
                (try $0.value("name", in: "sqlite_master") as String, try $0.value("sql", in: "sqlite_master") as String? ?? "")
            })
    }
}
