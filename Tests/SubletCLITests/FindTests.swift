import Foundation
import GRDB
import Testing

/// Issue #10: `sublet find` answers the phone question "which contract is this?".
@Suite struct FindTests {
    /// The contracts of the semicolon fixture, noticed for January 2027.
    static func workspace() throws -> CLI.Workspace {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run", "--period", "2027-01")
        return workspace
    }

    static func keys(_ workspace: CLI.Workspace, _ text: String) throws -> [String] {
        let result = try workspace.run(["find", text, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let hits = try #require(try result.json() as? [[String: Any]])
        return hits.map { "\($0["kind"] as? String ?? "?") \($0["key"] as? String ?? "?")" }
    }

    @Test func namesAddressesAndNumbersFindTheirContract() throws {
        let workspace = try Self.workspace()
        #expect(try Self.keys(workspace, "anna") == ["contract L-0001"])
        #expect(try Self.keys(workspace, "Andersson Anna") == ["contract L-0001"])
        #expect(try Self.keys(workspace, "asa oberg") == ["contract L-0003"])  // diacritics ignored
        #expect(try Self.keys(workspace, "kistag") == ["contract L-0001"])
        #expect(try Self.keys(workspace, "L-0002") == ["contract L-0002"])
        #expect(try Self.keys(workspace, "OBJ-1") == ["contract L-0001"])
        #expect(try Self.keys(workspace, "zz top").isEmpty)
        #expect(try workspace.run(["find", "zz top"]).stdout == "Nothing found for 'zz top'.\n")
    }

    @Test func aPersonalNumberMatchesInFullOrByItsLastFourAndIsShownMasked() throws {
        let workspace = try Self.workspace()
        for form in ["19850312-1231", "198503121231", "850312-1231", "8503121231", "1231"] {
            #expect(try Self.keys(workspace, form) == ["contract L-0001"], "\(form)")
        }
        #expect(try Self.keys(workspace, "19850312").isEmpty)  // a birth date alone is no personal number
        let shown = try workspace.run(["find", "19850312-1231"])
        #expect(shown.stdout.contains("19850312-****"))
        #expect(!shown.stdout.contains("1231"), "\(shown.stdout)")
    }

    @Test func noticesAreFoundByNumberAndOCR() throws {
        let workspace = try Self.workspace()
        let notices = try #require(try workspace.run(["notices", "list", "--period", "2027-01", "--json"]).json() as? [[String: Any]])
        let notice = try #require(notices.first)
        let number = try #require(notice["number"] as? String)
        let ocr = try #require(notice["ocr"] as? String)
        #expect(try Self.keys(workspace, number) == ["notice \(number)"])
        #expect(try Self.keys(workspace, ocr) == ["notice \(number)"])
    }

    @Test func aContractAddedLaterIsFoundAtOnce() throws {
        let workspace = try Self.workspace()
        try workspace.ok(
            "contract", "add", "--district", "SM", "--tenant", "Zelda Nyström", "--personal-number", "19900101-0017", "--address",
            "Götgatan 1", "--rent", "5000", "--start", "2027-02-01")
        #expect(try Self.keys(workspace, "nystrom") == ["contract AH-000001"])
        #expect(try Self.keys(workspace, "0017") == ["contract AH-000001"])
    }

    @Test func leasesAndInvoicesAreFound() throws {
        let workspace = try ReconciliationEndToEndTests.workspace()
        try workspace.ok("invoices", "ingest", CLI.fixture("rent-invoice.xml"))
        #expect(try Self.keys(workspace, "TL-0042") == ["lease TL-0042"])
        #expect(try Self.keys(workspace, "storgatan 14") == ["lease TL-0057"])
        let invoice = try Self.keys(workspace, "HY-2025-0415")
        #expect(invoice.count == 1 && invoice[0].hasPrefix("invoice "), "\(invoice)")
    }

    /// A database from before the index (schema v8) gets its contracts indexed by `sublet init`.
    @Test func theMigrationIndexesTheContractsThatExist() throws {
        let workspace = try Self.workspace()
        try DatabaseQueue(path: workspace.database).write { db in
            try db.execute(
                sql: """
                    DROP TRIGGER contract_search; DROP TRIGGER lease_search_insert; DROP TRIGGER lease_search_update;
                    DROP TABLE registerSearch; DROP TABLE searchDeferred; DROP INDEX invoice_number;
                    DELETE FROM grdb_migrations WHERE identifier = 'v9-search'
                    """)
        }
        #expect(try workspace.run(["find", "anna"]).status == 78)  // an older schema: `sublet init` first
        try workspace.ok("init")
        #expect(try Self.keys(workspace, "anna") == ["contract L-0001"])
    }
}

extension FindTests {
    /// `db check` notices an index that lost step with the register.
    @Test func dbCheckNoticesAnIndexOutOfStep() throws {
        let workspace = try Self.workspace()
        #expect(try workspace.run(["db", "check"]).status == 0)
        try DatabaseQueue(path: workspace.database).write { try $0.execute(sql: "DROP TRIGGER contract_search") }
        try workspace.ok(
            "contract", "add", "--district", "SM", "--tenant", "Zelda Nyström", "--personal-number", "19900101-0017", "--address",
            "Götgatan 1", "--rent", "5000", "--start", "2027-02-01")
        let check = try workspace.run(["db", "check"])
        #expect(check.status == 65)
        #expect(check.stdout.contains("the search index holds 3 contract(s), the register 4") || check.stderr.contains("the search index holds 3"))
    }
}
