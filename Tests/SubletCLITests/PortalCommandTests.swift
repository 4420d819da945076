import Foundation
import GRDB
import Testing

/// Issue #11: `sublet portal user …` keeps the portal's accounts; a one-time link is printed once
/// and only its digest is stored; a rejected command changes nothing.
@Suite struct PortalCommandTests {
    static let config = "[portal]\naccounts = \"portal/portal.sqlite\"\npublic_url = \"https://portal.test\""

    func accounts(_ workspace: CLI.Workspace) throws -> [[String: String]] {
        let queue = try DatabaseQueue(path: workspace.path + "/portal/portal.sqlite")
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT a.email, a.district, a.isAdmin, a.disabled, t.digest FROM account a LEFT JOIN passwordToken t ON t.accountId = a.id ORDER BY a.email"
            )
            .map { row in Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0].map { "\($0)" } ?? "") }) }
        }
    }

    static func token(_ output: String) -> String? {
        output.range(of: #"/losenord\?token=[0-9a-f]{64}"#, options: .regularExpression).map { String(output[$0].suffix(64)) }
    }

    @Test func anAccountGetsAOneTimeLinkWhoseTokenIsNotStored() throws {
        let workspace = CLI.Workspace(extraConfig: Self.config)
        try workspace.seeded()
        let added = try workspace.ok("portal", "user", "add", " Anna.Berg@Stockholm.se ", "--district", "rk")
        #expect(added.stdout.contains("Added anna.berg@stockholm.se (district RK)."))
        #expect(added.stdout.contains("https://portal.test/losenord?token="))
        let token = try #require(Self.token(added.stdout))
        let stored = try accounts(workspace)
        #expect(stored.count == 1 && stored[0]["district"] == "RK" && stored[0]["isAdmin"] == "0")
        #expect(stored[0]["digest"]?.count == 64 && stored[0]["digest"] != token)
        let file = try Data(contentsOf: URL(fileURLWithPath: workspace.path + "/portal/portal.sqlite"))
        #expect(file.range(of: Data(token.utf8)) == nil, "the token is not in the database file")
        let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path + "/portal/portal.sqlite")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        try workspace.ok("portal", "user", "add", "it@stockholm.se", "--admin")
        let list = try workspace.ok("portal", "user", "list")
        #expect(list.stdout.contains("anna.berg@stockholm.se") && list.stdout.contains("waiting for its password"))
        #expect(list.stdout.contains("all (administrator)"))

        try workspace.ok("portal", "user", "disable", "anna.berg@stockholm.se")
        #expect(try workspace.ok("portal", "user", "list").stdout.contains("disabled"))
        let reset = try workspace.ok("portal", "user", "reset", "anna.berg@stockholm.se")
        let again = try #require(Self.token(reset.stdout))
        #expect(again != token)
        let afterReset = try accounts(workspace).first { $0["email"] == "anna.berg@stockholm.se" }
        #expect(afterReset?["disabled"] == "0" && afterReset?["digest"] != stored[0]["digest"])
        #expect(try workspace.ok("portal", "audit").status == 0)
    }

    @Test(arguments: [
        (["portal", "user", "add", "not-an-address", "--district", "RK"], "is not an e-mail address"),
        (["portal", "user", "add", "b@stockholm.se", "--district", "ZZ"], "no district ZZ"),
        (["portal", "user", "add", "b@stockholm.se"], "give either --district CODE or --admin"),
        (["portal", "user", "add", "b@stockholm.se", "--district", "RK", "--admin"], "give either --district CODE or --admin"),
        (["portal", "user", "add", "first@stockholm.se", "--district", "SM"], "exists already"),
        (["portal", "user", "disable", "nobody@stockholm.se"], "no account nobody@stockholm.se"),
        (["portal", "user", "reset", "nobody@stockholm.se"], "no account nobody@stockholm.se"),
    ])
    func aRefusedCommandSaysWhyAndChangesNothing(arguments: [String], message: String) throws {
        let workspace = CLI.Workspace(extraConfig: Self.config)
        try workspace.seeded()
        try workspace.ok("portal", "user", "add", "first@stockholm.se", "--district", "RK")
        let before = try accounts(workspace)
        let result = try workspace.run(arguments)
        #expect(result.status == 65, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try accounts(workspace) == before)
    }
}
