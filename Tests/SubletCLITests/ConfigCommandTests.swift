import Foundation
import GRDB
import SubletApp
import Testing

/// Issue #10: `config check` refuses a configuration that is not fit to run, and the commands
/// that send things to tenants or take money in make the same check first; `config show` says
/// where every value came from.
@Suite struct ConfigCheckTests {
    @Test(arguments: [
        ("", "payee.bankgiro: not set (the default is Bankgirot's example number 5050-1055)"),
        ("[payee]\nbankgiro = \"5050-1055\"", "payee.bankgiro: 5050-1055 is Bankgirot's example number, not the city's"),
    ])
    func theExamplePayeeIsRefused(payee: String, message: String) throws {
        let workspace = CLI.Workspace(extraConfig: payee.isEmpty ? "[payee]\nname = \"Stockholms stad\"" : payee)
        try workspace.seeded()
        let before = try workspace.snapshot()
        for arguments in [
            ["config", "check"], ["notices", "run"], ["jobs", "run", "monthly-notices"], ["jobs", "run", "payment-reminders"],
            ["payments", "import", CLI.fixture("payments/bgmax-bankgirot-example.txt")],
        ] {
            let result = try workspace.run(arguments)
            #expect(result.status == 78, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("set payee.bankgiro in \(workspace.config)"), "\(result.stderr)")
        }
        #expect(try workspace.snapshot() == before)
        // A dry run sends nothing, and a backup is wanted whatever the payee.
        #expect(try workspace.run(["notices", "run", "--dry-run"]).status == 0)
        #expect(try workspace.run(["jobs", "run", "nightly-backup"]).status == 0)
    }

    @Test func aFolderThatCannotBeWrittenIsNamedWithItsKey() throws {
        let workspace = CLI.Workspace(extraConfig: "")
        try workspace.seeded()
        try "not a folder".write(toFile: workspace.path + "/blocker", atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: workspace.config, encoding: .utf8).replacingOccurrences(
            of: "outbox = \"outbox\"", with: "outbox = \"blocker/outbox\"")
        try text.write(toFile: workspace.config, atomically: true, encoding: .utf8)
        let result = try workspace.run(["config", "check"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("paths.outbox: \(workspace.path)/blocker/outbox cannot be created: \(workspace.path)/blocker is a file"))
    }

    @Test func aDatabaseOthersCanReadIsRefused() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        #expect(try workspace.run(["config", "check"]).status == 0)
        #expect(chmod(workspace.database, 0o644) == 0)
        let result = try workspace.run(["config", "check"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("paths.database: \(workspace.database) can be read by others (mode 644); chmod 600 \(workspace.database)"))
        let flagged = try workspace.run(["config", "check", "--db", workspace.database])
        #expect(flagged.stderr.contains("--db: \(workspace.database) can be read by others"), "\(flagged.stderr)")
        #expect(chmod(workspace.database, 0o600) == 0)
        #expect(try workspace.run(["config", "check"]).status == 0)
    }

    @Test func theDaemonRefusesToStart() throws {
        let workspace = CLI.Workspace(extraConfig: "[payee]\nbankgiro = \"5050-1055\"", binary: true)
        try workspace.seeded()
        let daemon = try Daemon(workspace, waitForReady: false)
        #expect(daemon.waitForExit() == 78)
        #expect(daemon.log.contains("payee.bankgiro"))
    }
}

@Suite struct ConfigShowTests {
    @Test func everySettingSaysWhereItCameFrom() throws {
        let workspace = CLI.Workspace(extraConfig: "[notice]\nmin_days = 12")
        let shown = try workspace.run(["config", "show"]).stdout
        #expect(shown.contains("# configuration file: \(workspace.config)"))
        #expect(line("notice.min_days", in: shown) == "notice.min_days = 12  # file")
        #expect(line("backup.keep", in: shown)?.hasSuffix("# default") == true)
        #expect(line("paths.jobs", in: shown)?.hasPrefix("# paths.jobs: the compiled-in files") == false)
        #expect(line("paths.database", in: shown)?.hasSuffix("# file") == true)
        let environment = try workspace.run(["config", "show"], environment: ["SUBLET_DB": "/tmp/x.sqlite"]).stdout
        #expect(line("paths.database", in: environment)?.hasPrefix("paths.database = \"/tmp/x.sqlite\"") == true)
        #expect(line("paths.database", in: environment)?.hasSuffix("# environment (SUBLET_DB)") == true)
        let flag = try workspace.run(["config", "show", "--db", "/tmp/y.sqlite", "--json"])
        let json = try #require(try flag.json() as? [String: Any])
        let settings = try #require(json["settings"] as? [[String: Any]])
        let database = try #require(settings.first { $0["key"] as? String == "paths.database" })
        #expect(database["value"] as? String == "\"/tmp/y.sqlite\"")
        #expect(database["source"] as? String == "flag")
        #expect(settings.count == Settings.knownKeys.count)
    }

    /// The line for `key`, its padding squeezed to two spaces before the comment.
    func line(_ key: String, in text: String) -> String? {
        text.split(separator: "\n").map(String.init).first { $0.hasPrefix(key + " ") || $0.hasPrefix("# " + key + ":") }
            .map { $0.replacingOccurrences(of: #" {2,}#"#, with: "  #", options: .regularExpression) }
    }
}

/// `sublet init` (which the package's postinst runs) copies an existing database before it
/// migrates it.
@Suite struct InitBackupTests {
    @Test func aMigrationIsPrecededByABackup() throws {
        let workspace = CLI.Workspace()
        try FileManager.default.createDirectory(atPath: workspace.path + "/db", withIntermediateDirectories: true)
        try DatabaseQueue(path: workspace.database).write { try $0.execute(sql: "CREATE TABLE legacy (x); INSERT INTO legacy VALUES (42)") }
        let result = try workspace.run(["init", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try result.json() as? [String: Any])
        #expect(json["outcome"] as? String == "migrated")
        let backup = try #require(json["backup"] as? String)
        #expect(backup.hasPrefix(workspace.path + "/backups/sublet-before-migration-"))
        let tables = try DatabaseQueue(path: backup).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(tables == ["legacy"])
        // Up to date: no second copy.
        #expect(try workspace.run(["init", "--json"]).stdout.contains("\"backup\"") == false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path + "/backups").count == 1)
    }
}

/// `sublet alert`, run by sublet-alert@.service when a job or subletd fails.
@Suite struct AlertTests {
    @Test func aFailureIsJournalledAtPriorityErrAndHandedToTheAlertCommand() throws {
        let workspace = CLI.Workspace(extraConfig: "[alert]\ncommand = \"echo \\\"$1 failed\\\" > alert.txt\"", binary: true)
        let result = try workspace.run(["alert", "sublet-job@monthly-notices.service"], environment: ["JOURNAL_STREAM": "8:1234"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.hasPrefix(
                "<3>sublet: alert: sublet-job@monthly-notices.service failed; its log: journalctl -u sublet-job@monthly-notices.service"))
        #expect(try String(contentsOfFile: workspace.path + "/alert.txt", encoding: .utf8) == "sublet-job@monthly-notices.service failed\n")
    }

    @Test func aFailingAlertCommandFailsTheAlert() throws {
        let workspace = CLI.Workspace(extraConfig: "[alert]\ncommand = \"exit 3\"", binary: true)
        let result = try workspace.run(["alert", "subletd.service"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("sublet: alert: subletd.service failed"))
        #expect(result.stderr.contains("alert.command exited with status 3"))
        #expect(try CLI.Workspace(binary: true).run(["alert", "subletd.service"]).status == 0)
    }
}

/// Under systemd a unit can write only its `ReadWritePaths=`: the jobs not the daemon's spool,
/// the daemon not the backups. Each use checks the folders it writes; `config check` all of them.
@Suite struct ConfigCheckScopeTests {
    /// A workspace whose `key` folder lies under a file, so that it can never be created.
    static func workspace(blocking key: String, binary: Bool = false) throws -> CLI.Workspace {
        let workspace = CLI.Workspace(binary: binary)
        try workspace.seeded()
        try "not a folder".write(toFile: workspace.path + "/blocker", atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: workspace.config, encoding: .utf8).replacingOccurrences(
            of: "\n\(key) = \"", with: "\n\(key) = \"blocker/")
        try text.write(toFile: workspace.config, atomically: true, encoding: .utf8)
        return workspace
    }

    @Test func theJobsAndTheMonthlyRunDoNotNeedTheSpool() throws {
        let workspace = try Self.workspace(blocking: "inbox")
        #expect(try workspace.run(["config", "check"]).stderr.contains("paths.inbox:"))
        #expect(try workspace.run(["notices", "run", "--period", "2027-01"]).status == 0)
        #expect(try workspace.run(["jobs", "run", "payment-reminders"]).status == 0)
    }

    @Test func theDaemonDoesNotNeedTheBackupsButTheJobsNeedTheOutbox() throws {
        let workspace = try Self.workspace(blocking: "backups", binary: true)
        #expect(try workspace.run(["config", "check"]).stderr.contains("paths.backups:"))
        let daemon = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")
        let outbox = try Self.workspace(blocking: "outbox")
        let refused = try outbox.run(["jobs", "run", "monthly-notices"])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("paths.outbox:"))
    }
}
