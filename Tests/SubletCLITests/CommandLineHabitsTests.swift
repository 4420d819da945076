import Foundation
import Testing

@testable import SubletCLI

/// Issue #10: the command line takes the habits administrators bring from git, kubectl and gh.
@Suite struct CommandLineHabitsTests {
    @Test(arguments: [
        (["--db", "x", "contract", "list"], ["contract", "list", "--db", "x"]),
        (["--db=x", "--json", "-q", "stats"], ["stats", "--db=x", "--json", "-q"]),
        (["--config", "c.toml", "--actor", "anna", "-v", "find", "a"], ["find", "a", "--config", "c.toml", "--actor", "anna", "-v"]),
        (["contract", "list", "--db", "x"], ["contract", "list", "--db", "x"]),
        (["--version"], ["--version"]),
        (["--db", "x", "--help"], ["--help", "--db", "x"]),
        (["--db"], ["--db"]),
        (["--json"], ["--json"]),
    ])
    func globalOptionsBeforeTheSubcommandMoveAfterIt(given: [String], parsed: [String]) {
        #expect(GlobalOptions.hoisted(given) == parsed)
    }

    @Test func theSameCommandWithItsOptionsBeforeOrAfter() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let after = try workspace.run(["contract", "list", "--json", "--db", workspace.database])
        let before = try workspace.run(["--json", "--db", workspace.database, "contract", "list"])
        #expect(after.status == 0 && before.status == 0)
        #expect(before.stdout == after.stdout)
        #expect(before.stdout.contains("\"L-0001\""))
    }

    @Test func errorsAreJSONUnderJSON() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let missing = try workspace.run(["--json", "contract", "show", "L-9999"])
        #expect(missing.status == 65)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(missing.stderr.utf8)) as? [String: Any])
        #expect(error["exit_code"] as? Int == 65)
        #expect((error["error"] as? String)?.contains("L-9999") == true)
        let usage = try workspace.run(["stats", "--json", "--no-such-option"])
        #expect(usage.status == 64)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(usage.stderr.utf8)) as? [String: Any])
        #expect(parsed["exit_code"] as? Int == 64)
        #expect(try workspace.run(["contract", "show", "L-9999"]).stderr.hasPrefix("sublet: error: "))
    }

    @Test func shortForms() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let dryRun = try workspace.run(["notices", "run", "-n", "--period", "2027-01"])
        #expect(dryRun.status == 0 && dryRun.stdout.hasPrefix("Would issue"), "\(dryRun.stdout)")
        #expect(try workspace.run(["db", "backup", "-o", "copy.sqlite"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: workspace.path + "/copy.sqlite"))
        #expect(try workspace.run(["stats", "-o", "stats.txt"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: workspace.path + "/stats.txt"))
    }
}

extension CommandLineHabitsTests {
    /// The administrators' command line is English; only the notice's own lines, as printed
    /// for the tenant, are Swedish.
    @Test func noticesShowSpeaksEnglishAroundTheTenantsLines() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run", "--period", "2027-01")
        let shown = try workspace.ok("notices", "show", "2026-000001").stdout
        #expect(shown.hasPrefix("Notice 2026-000001, 2027-01\nContract L-0001"), "\(shown)")
        #expect(shown.contains("LINE AS PRINTED"))
        #expect(shown.contains("Hyra januari 2027"))
        #expect(shown.contains("\nTotal "))
        #expect(!shown.contains("Att betala") && !shown.contains("Hyresavi"))
        let ledger = try workspace.ok("ledger", "L-0001").stdout
        #expect(ledger.contains("Notice 2027-01, due 2026-12-30"), "\(ledger)")
        #expect(!ledger.contains("Hyresavi") && !ledger.contains("förfaller"))
    }
}

extension CommandLineHabitsTests {
    /// `sublet demo --dir` never touches a folder that holds someone else's files.
    @Test func theDemoRefusesAFolderThatIsNotItsOwn() throws {
        let workspace = CLI.Workspace()
        let folder = workspace.path + "/thesis"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "chapter one".write(toFile: folder + "/thesis.txt", atomically: true, encoding: .utf8)
        let refused = try workspace.run(["demo", "--contracts", "30", "--invoices", "0", "--dir", "thesis"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("holds files that are not an earlier demo's"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["thesis.txt"])
        // A new folder becomes the demo's, and a second demo may replace its own files.
        #expect(try workspace.run(["demo", "--contracts", "30", "--invoices", "0", "--dir", "fresh"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: workspace.path + "/fresh/.sublet-demo"))
        #expect(try workspace.run(["demo", "--contracts", "30", "--invoices", "0", "--dir", "fresh"]).status == 0)
        let forced = try workspace.run(["demo", "--contracts", "30", "--invoices", "0", "--dir", "thesis", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: folder + "/thesis.txt", encoding: .utf8) == "chapter one")
    }
}

extension CommandLineHabitsTests {
    /// Two outputs asked for at once is a usage error, not a silent choice.
    @Test(arguments: ["csv", "html"])
    func statsRefusesJSONWithAnotherFormat(format: String) throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let result = try workspace.run(["stats", "--json", "--format", format, "-o", "stats.out"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--json and --format \(format) ask for two different outputs"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/stats.out"))
        #expect(try workspace.run(["stats", "--json", "--format", "json"]).status == 0)
    }
}
