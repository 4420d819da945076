import GRDB
import SubletDomain

extension Schema {
    /// The text of a contract in the search index: its number, tenant, address and object id,
    /// and its personal number as tokens of its own (`SearchQuery.personalNumberPrefix`,
    /// `lastFourPrefix`).
    static func contractSearchText(_ row: String) -> String {
        """
        \(row).number || ' ' || \(row).tenantName || ' ' || \(row).address || ' ' || coalesce(\(row).objectId, '') \
        || ' \(SearchQuery.personalNumberPrefix)' || \(row).personalNumber \
        || ' \(SearchQuery.lastFourPrefix)' || substr(\(row).personalNumber, 9)
        """
    }

    static func leaseSearchText(_ row: String) -> String {
        "\(row).id || ' ' || \(row).objectId || ' ' || coalesce(\(row).address, '') || ' ' || coalesce(\(row).reference, '')"
    }

    /// Stops the per-row trigger for a bulk import inside its transaction; returns the first id
    /// the import will give, for `indexDeferredContracts(_:from:)`.
    static func deferContractSearch(_ db: Database) throws -> Int64 {
        let next = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM contract") ?? 0) + 1
        try db.execute(sql: "INSERT INTO searchDeferred (fromContractId) VALUES (?)", arguments: [next])
        return next
    }

    /// Indexes, in one statement, the contracts from `id` on (those the bulk import inserted),
    /// and ends the deferral.
    static func indexDeferredContracts(_ db: Database, from id: Int64) throws {
        try db.execute(
            sql:
                "INSERT INTO registerSearch (kind, key, body) SELECT 'contract', number, \(contractSearchText("contract")) FROM contract WHERE id >= ?",
            arguments: [id])
        try db.execute(sql: "DELETE FROM searchDeferred")
    }

    /// What `db check` says when the index has lost step with the register (a trigger dropped,
    /// a deferral left behind by a hand edit).
    static func searchProblems(_ db: Database) throws -> [String] {
        let contracts = try Int.fetchOne(db, sql: "SELECT count(*) FROM contract") ?? 0
        let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM registerSearch WHERE kind = 'contract'") ?? 0
        var problems: [String] = []
        if contracts != indexed { problems.append("the search index holds \(indexed) contract(s), the register \(contracts)") }
        if try Int.fetchOne(db, sql: "SELECT count(*) FROM searchDeferred") != 0 { problems.append("the search index is deferred (searchDeferred)") }
        return problems
    }

    /// v9 (issue #10): `sublet find`. An FTS5 index over the register (contracts and head
    /// leases), filled from what exists and kept current by triggers; notices, OCR references
    /// and invoices are found by their own indexes instead (a million notices a year would
    /// make the index, and every monthly run, larger for identifiers that are looked up whole).
    static func registerSearch(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-search") { db in
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE registerSearch USING fts5(
                        kind UNINDEXED, key UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2', detail = column
                    );
                    INSERT INTO registerSearch (kind, key, body) SELECT 'contract', number, \(contractSearchText("contract")) FROM contract;
                    INSERT INTO registerSearch (kind, key, body) SELECT 'lease', id, \(leaseSearchText("lease")) FROM lease;
                    -- A row while a bulk import inside its transaction indexes its contracts all at once at the end
                    -- (`indexDeferredContracts`): one FTS5 insert per row costs an 86,000-contract import 2 s.
                    CREATE TABLE searchDeferred (fromContractId INTEGER NOT NULL);
                    CREATE TRIGGER contract_search AFTER INSERT ON contract WHEN NOT EXISTS (SELECT 1 FROM searchDeferred) BEGIN
                        INSERT INTO registerSearch (kind, key, body) VALUES ('contract', NEW.number, \(contractSearchText("NEW")));
                    END;
                    CREATE TRIGGER lease_search_insert AFTER INSERT ON lease BEGIN
                        INSERT INTO registerSearch (kind, key, body) VALUES ('lease', NEW.id, \(leaseSearchText("NEW")));
                    END;
                    CREATE TRIGGER lease_search_update AFTER UPDATE OF objectId, address, reference ON lease BEGIN
                        DELETE FROM registerSearch WHERE kind = 'lease' AND key = OLD.id;
                        INSERT INTO registerSearch (kind, key, body) VALUES ('lease', NEW.id, \(leaseSearchText("NEW")));
                    END;
                    CREATE INDEX invoice_number ON invoice(number);
                    """)
        }
    }
}
