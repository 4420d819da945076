import ArgumentParser
import Foundation
import SubletJobs
import SubletStorage

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Backups and checks of the database.",
        subcommands: [Backup.self, Check.self]
    )

    struct Backup: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an online, consistent copy of the database.",
            discussion: """
                Safe while other processes use the database. The copy is one self-contained file (rollback-journal \
                mode), mode 0600. An existing file is replaced only with --force, and never the database itself or \
                its -wal/-shm files. With --rotate, writes a timestamped copy into paths.backups and keeps the newest \
                backup.keep copies (the nightly-backup job).
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Write the copy to this file.", valueName: "file")) var out: String?
        @Flag(help: "Write a timestamped copy into paths.backups and delete all but the newest backup.keep.") var rotate = false
        @Flag(help: "Replace --out if it exists (never the live database).") var force = false

        func validate() throws {
            guard (out != nil) != rotate else { throw ValidationError("give either --out FILE or --rotate") }
            if force, out == nil { throw ValidationError("--force goes with --out FILE") }
        }

        func execute(_ environment: CommandEnvironment) throws {
            if let out {
                try BackupTarget(database: environment.databasePath).refuse(out, force: force)
                let database = try environment.openDatabase(readOnly: true)
                try database.backup(to: out)
                if environment.json { try Output.json(["backup": out]) } else { Output.line("Backed up \(environment.databasePath) to \(out).") }
                return
            }
            let database = try environment.openDatabase(readOnly: true)
            let configuration = environment.configuration
            let result = try BackupRotation.backup(database, into: configuration.backupsDirectory, keep: configuration.backupKeep,
                                                   sparing: environment.databasePath)
            if environment.json {
                try Output.json(RotateJSON(backup: result.written, removed: result.removed))
            } else {
                Output.line("Backed up \(environment.databasePath) to \(result.written); removed \(result.removed.count) old backup(s).")
            }
        }

        struct RotateJSON: Encodable {
            var backup: String
            var removed: [String]
        }
    }

    struct Check: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a database or a backup: integrity, foreign keys, notice totals, protective triggers (exit 65 on a problem).",
            discussion: "Opens the file read-only and never changes it, so a backup can be checked where it lies, on read-only media too."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The database or backup to check (default: --db, $SUBLET_DB or paths.database).", valueName: "file"))
        var file: String?

        func execute(_ environment: CommandEnvironment) throws {
            var environment = environment
            if let file { environment.databasePath = file }
            let check = try environment.openDatabase(readOnly: true).check()
            if environment.json {
                try Output.json(CheckJSON(healthy: check.isHealthy, integrity: check.integrityProblems, foreignKeys: check.foreignKeyProblems,
                                          totals: check.totalProblems, triggers: check.triggerProblems, schema: check.schemaVersion))
            } else if check.isHealthy {
                Output.line("\(environment.databasePath): integrity ok, foreign keys ok, notice totals ok, triggers ok (schema \(check.schemaVersion)).")
            } else {
                for problem in check.integrityProblems { Output.line("integrity: \(problem)") }
                for problem in check.foreignKeyProblems { Output.line("foreign key: \(problem)") }
                for problem in check.totalProblems { Output.line("total: \(problem)") }
                for problem in check.triggerProblems { Output.line("trigger: \(problem)") }
            }
            if !check.isHealthy { throw RejectedError("\(environment.databasePath) failed its checks; restore the latest backup (docs/operations.md)") }
        }

        struct CheckJSON: Encodable {
            var healthy: Bool
            var integrity: [String]
            var foreignKeys: [String]
            var totals: [String]
            var triggers: [String]
            var schema: String
            enum CodingKeys: String, CodingKey { case healthy, integrity, foreignKeys = "foreign_keys", totals, triggers, schema }
        }
    }
}
