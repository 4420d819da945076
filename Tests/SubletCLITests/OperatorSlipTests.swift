import Foundation
import GRDB
import InvoiceFeed
import Testing

/// Issue #7: an operator's slip loses no data and every refusal says what to do.
@Suite struct OperatorSlipTests {
    static func sha256(_ path: String) throws -> String {
        SHA256Digest.hex(of: try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func aBackupNeverReplacesTheLiveDatabaseNorAFileWithoutForce() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")
        let before = try workspace.snapshot()
        for target in [workspace.database, "db/sublet.sqlite", "db/../db/sublet.sqlite", workspace.database + "-wal", workspace.database + "-shm"] {
            let result = try workspace.run(["db", "backup", "--out", target])
            #expect(result.status == 64, "\(target)")
            #expect(result.stderr.contains("is the database"), "\(result.stderr)")
        }
        try FileManager.default.createSymbolicLink(atPath: workspace.path + "/link.sqlite", withDestinationPath: workspace.database)
        #expect(try workspace.run(["db", "backup", "--out", "link.sqlite", "--force"]).status == 64)
        #expect(try workspace.snapshot() == before)

        try workspace.ok("db", "backup", "--out", "copy.sqlite")
        let again = try workspace.run(["db", "backup", "--out", "copy.sqlite"])
        #expect(again.status == 64)
        #expect(again.stderr.contains("copy.sqlite already exists; add --force to replace it"))
        try workspace.ok("db", "backup", "--out", "copy.sqlite", "--force")
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.path + "/copy.sqlite")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try workspace.snapshot() == before)
    }

    /// A disk that fills up mid-copy (here a file size limit, which SQLite sees the same way): a
    /// clear message, exit 73, and nothing left behind.
    @Test func aBackupThatCannotBeWrittenSaysWhyAndLeavesNothing() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")
        let script = "trap '' XFSZ; ulimit -f 100; exec \"$0\" db backup --out full.sqlite"
        let result = try CLI.run(
            ["-c", script, CLI.binary],
            environment: [
                "PATH": "/usr/bin:/bin", "USER": "tester", "SUBLET_CONFIG": workspace.config,
                "SUBLET_TODAY": workspace.today,
            ], directory: workspace.path, executable: "/bin/sh")
        #expect(result.status == 73)
        #expect(result.stderr.contains("cannot write full.sqlite: "))
        #expect(!result.stderr.contains("not an error"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path).allSatisfy { !$0.hasPrefix("full.sqlite") })
    }

    @Test func readingCommandsAndDbCheckNeverWriteTheDatabase() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")
        // An empty WAL, as after a checkpoint: the state in which opening used to write.
        try DatabaseQueue(path: workspace.database).writeWithoutTransaction { _ = try Row.fetchAll($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let database = try Self.sha256(workspace.database)
        for command in [
            ["district", "list"], ["contract", "list"], ["notices", "list", "--period", "2026-12"], ["db", "check"],
            ["audit"], ["stats"], ["notices", "run", "--dry-run"], ["reconcile", "--period", "2026-11"],
            ["contract", "change", "L-0001", "--rent", "9000", "--from", "2026-12-01", "--dry-run"],
        ] {
            let result = try workspace.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(try Self.sha256(workspace.database) == database, "\(command)")
            let wal = (try? FileManager.default.attributesOfItem(atPath: workspace.database + "-wal")[.size] as? Int) ?? 0
            #expect(wal == 0, "\(command) wrote \(wal) bytes to the WAL")
        }
    }

    /// `db check FILE` on a backup that lies on read-only media, as a user who may not write
    /// there: it is checked and its bytes do not change.
    @Test func aBackupOnReadOnlyMediaCanBeChecked() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")
        let media = workspace.path + "/media"
        try FileManager.default.createDirectory(atPath: media, withIntermediateDirectories: true)
        try workspace.ok("db", "backup", "--out", "media/backup.sqlite")
        // An older backup in WAL mode too (before backups were written in rollback mode).
        try FileManager.default.copyItem(atPath: workspace.database, toPath: media + "/wal-mode.sqlite")
        let sums = try ["backup.sqlite", "wal-mode.sqlite"].map { try Self.sha256(media + "/" + $0) }
        chmod(media + "/backup.sqlite", 0o444)
        chmod(media + "/wal-mode.sqlite", 0o444)
        chmod(media, 0o555)
        defer { chmod(media, 0o755) }
        // Root ignores file modes: check as an unprivileged user then.
        let asUser = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "nobody", "--"] : []
        for name in ["backup.sqlite", "wal-mode.sqlite"] {
            let result = try CLI.run(
                asUser.dropFirst() + [CLI.binary, "db", "check", media + "/" + name], environment: ["PATH": "/usr/bin:/bin"],
                directory: "/", executable: asUser.first ?? "/usr/bin/env")
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(result.stdout.contains("integrity ok, foreign keys ok, notice totals ok, triggers ok"))
        }
        #expect(try ["backup.sqlite", "wal-mode.sqlite"].map { try Self.sha256(media + "/" + $0) } == sums)
        #expect(try FileManager.default.contentsOfDirectory(atPath: media).sorted() == ["backup.sqlite", "wal-mode.sqlite"])
    }

    /// Whatever the umask, Sublet's files are 0640 and its folders 0750.
    @Test func outputFilesAndFoldersHaveTheirModesWhateverTheUmask() throws {
        let workspace = try ReconciliationEndToEndTests.workspace()
        try workspace.ok("invoices", "ingest", CLI.fixture("rent-invoice.xml"))
        try workspace.ok(
            "contract", "add", "--district", "SK", "--tenant", "Anna", "--personal-number", "19850312-1231", "--address", "Gatan 1",
            "--rent", "7000", "--start", "2025-01-01")
        try workspace.ok("notices", "run", "--period", "2025-06")
        let environment = ["PATH": "/usr/bin:/bin", "USER": "tester", "SUBLET_CONFIG": workspace.config, "SUBLET_TODAY": workspace.today]
        for arguments in [
            ["reports", "build", "--period", "2025-04"], ["billing", "export", "--period", "2025-05"],
            ["stats", "--format", "html", "--out", "stats/t2.html"], ["notices", "export", "--period", "2025-06", "--out", "print/june"],
        ] {
            let result = try CLI.run(
                ["-c", "umask 000; exec \"$0\" \"$@\"", CLI.binary] + arguments, environment: environment,
                directory: workspace.path, executable: "/bin/sh")
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        var checked = 0
        for folder in ["outbox", "stats", "print"] {
            let root = workspace.path + "/" + folder
            for path in [""] + (try FileManager.default.subpathsOfDirectory(atPath: root)) {
                let attributes = try FileManager.default.attributesOfItem(atPath: root + (path.isEmpty ? "" : "/" + path))
                let mode = (attributes[.posixPermissions] as? Int) ?? -1
                let expected = attributes[.type] as? FileAttributeType == .typeDirectory ? 0o750 : 0o640
                #expect(mode == expected, "\(folder)/\(path): \(String(mode, radix: 8))")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test func anExportToAPlaceThatCannotBeWrittenSaysWhereAndWhy() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")
        let result = try workspace.run(["notices", "export", "--period", "2026-12", "--out", "/etc/passwd/print"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("cannot write /etc/passwd/print"))
        #expect(result.stderr.contains("Not a directory") || result.stderr.contains("it is a file, not a folder"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }
}
