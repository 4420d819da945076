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
            discussion: "Safe while other processes use the database. With --rotate, writes a timestamped copy into paths.backups and keeps the newest backup.keep copies (the nightly-backup job)."
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Write the copy to this file.", valueName: "file")) var out: String?
        @Flag(help: "Write a timestamped copy into paths.backups and delete all but the newest backup.keep.") var rotate = false

        func validate() throws {
            guard (out != nil) != rotate else { throw ValidationError("give either --out FILE or --rotate") }
        }

        func execute(_ environment: CommandEnvironment) throws {
            let database = try environment.openDatabase()
            if let out {
                try database.backup(to: out)
                if environment.json { try Output.json(["backup": out]) } else { Output.line("Backed up \(environment.databasePath) to \(out).") }
                return
            }
            let configuration = environment.configuration
            let result = try BackupRotation.backup(database, into: configuration.backupsDirectory, keep: configuration.backupKeep)
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
        static let configuration = CommandConfiguration(abstract: "Run SQLite's integrity and foreign-key checks (exit 65 on a problem).")

        @OptionGroup var global: GlobalOptions

        func execute(_ environment: CommandEnvironment) throws {
            let check = try environment.openDatabase().check()
            if environment.json {
                try Output.json(CheckJSON(healthy: check.isHealthy, integrity: check.integrityProblems,
                                          foreignKeys: check.foreignKeyProblems, totals: check.totalProblems, schema: check.schemaVersion))
            } else if check.isHealthy {
                Output.line("\(environment.databasePath): integrity ok, foreign keys ok, notice totals ok (schema \(check.schemaVersion)).")
            } else {
                for problem in check.integrityProblems { Output.line("integrity: \(problem)") }
                for problem in check.foreignKeyProblems { Output.line("foreign key: \(problem)") }
                for problem in check.totalProblems { Output.line("total: \(problem)") }
            }
            if !check.isHealthy { throw RejectedError("\(environment.databasePath) failed its checks; restore the latest backup (docs/operations.md)") }
        }

        struct CheckJSON: Encodable {
            var healthy: Bool
            var integrity: [String]
            var foreignKeys: [String]
            var totals: [String]
            var schema: String
            enum CodingKeys: String, CodingKey { case healthy, integrity, foreignKeys = "foreign_keys", totals, schema }
        }
    }
}
