import GRDB

extension Schema {
    /// The text of a contract in the search index: its number, tenant, address and object id,
    /// and its personal number as tokens of its own (`SearchQuery.personalNumberTokens`).
    static func contractSearchText(_ row: String) -> String {
        """
        \(row).number || ' ' || \(row).tenantName || ' ' || \(row).address || ' ' || coalesce(\(row).objectId, '') \
        || ' pn' || \(row).personalNumber || ' pnlast' || substr(\(row).personalNumber, 9)
        """
    }

    static func leaseSearchText(_ row: String) -> String {
        "\(row).id || ' ' || \(row).objectId || ' ' || coalesce(\(row).address, '') || ' ' || coalesce(\(row).reference, '')"
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
                        kind UNINDEXED, key UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2'
                    );
                    INSERT INTO registerSearch (kind, key, body) SELECT 'contract', number, \(contractSearchText("contract")) FROM contract;
                    INSERT INTO registerSearch (kind, key, body) SELECT 'lease', id, \(leaseSearchText("lease")) FROM lease;
                    CREATE TRIGGER contract_search AFTER INSERT ON contract BEGIN
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
