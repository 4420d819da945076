import ArgumentParser
import SubletApp
import SubletStorage

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Backups and checks of the database.",
        discussion: """
            Examples:
              sublet db backup --rotate
              sublet db check
            """,
        subcommands: [Backup.self, Check.self]
    )

    struct Backup: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an online, consistent copy of the database.",
            discussion: """
                Safe while other processes use the database. The copy is one self-contained file (rollback-journal \
                mode), mode 0600. An existing file is replaced only with --force, and never the database itself or \
                its -wal/-shm files. With --rotate, writes a timestamped copy into paths.backups and keeps the newest \
                backup.keep copies (the nightly-backup job).

                Examples:
                  sublet db backup -o /mnt/usb/sublet-2026-12-02.sqlite
                  sudo -u sublet sublet db backup --rotate
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(name: [.short, .long], help: ArgumentHelp("Write the copy to this file.", valueName: "file")) var out: String?
        @Flag(help: "Write a timestamped copy into paths.backups and delete all but the newest backup.keep.") var rotate = false
        @Flag(help: "Replace --out if it exists (never the live database).") var force = false
        var access: SubletApp.DatabaseAccess { .readOnly }

        func validate() throws {
            guard (out != nil) != rotate else { throw ValidationError("give either --out FILE or --rotate") }
            if force, out == nil { throw ValidationError("--force goes with --out FILE") }
        }

        func run(_ app: SubletApp, _ output: Output) throws {
            if let out {
                try app.backUp(to: out, replacing: force)
                if output.json { try output.json(["backup": out]) } else { output.line("Backed up \(app.databasePath) to \(out).") }
                return
            }
            let (written, removed) = try app.rotateBackups()
            try BackupText.rotated(database: app.databasePath, written: written, removed: removed, output)
        }
    }

    struct Check: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a database or a backup: integrity, foreign keys, notice totals, protective triggers (exit 65 on a problem).",
            discussion: """
                Opens the file read-only and never changes it, so a backup can be checked where it lies, on read-only media too.

                Examples:
                  sublet db check
                  sublet db check /var/backups/sublet/sublet-20261202T033000Z.sqlite
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The database or backup to check (default: --db, $SUBLET_DB or paths.database).", valueName: "file"))
        var file: String?
        var access: SubletApp.DatabaseAccess { file == nil ? .readOnly : .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            let app = try file.map { try app.opening($0, access: .readOnly) } ?? app
            let check = try app.check()
            if out.json {
                try out.json(
                    CheckJSON(
                        healthy: check.isHealthy, integrity: check.integrityProblems, foreignKeys: check.foreignKeyProblems,
                        totals: check.totalProblems, triggers: check.triggerProblems, schema: check.schemaVersion))
            } else if check.isHealthy {
                out.line("\(app.databasePath): integrity ok, foreign keys ok, notice totals ok, triggers ok (schema \(check.schemaVersion)).")
            } else {
                for problem in check.integrityProblems { out.line("integrity: \(problem)") }
                for problem in check.foreignKeyProblems { out.line("foreign key: \(problem)") }
                for problem in check.totalProblems { out.line("total: \(problem)") }
                for problem in check.triggerProblems { out.line("trigger: \(problem)") }
            }
            if !check.isHealthy { throw RejectedError("\(app.databasePath) failed its checks; restore the latest backup (docs/operations.md)") }
        }
    }
}

/// A rotated backup, as `db backup --rotate` and the `nightly-backup` job print it.
enum BackupText {
    static func rotated(database: String, written: String, removed: [String], _ out: Output) throws {
        if out.json {
            try out.json(RotateJSON(backup: written, removed: removed))
        } else {
            out.line("Backed up \(database) to \(written); removed \(removed.count) old backup(s).")
        }
    }
}
