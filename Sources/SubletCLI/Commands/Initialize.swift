import ArgumentParser
import SubletApp
import SubletStorage

struct Initialize: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the database, or migrate an older one forward.",
        discussion: """
            The file is created with mode 0600. Before migrating an existing database, a copy of it is written to \
            paths.backups (sublet-before-migration-<time>.sqlite). A database written by a newer Sublet is refused.

            Examples:
              sublet init
              sudo -u sublet sublet init --config /etc/sublet/sublet.toml
            """
    )

    @OptionGroup var global: GlobalOptions
    var access: SubletApp.DatabaseAccess { .none }

    func run(_ app: SubletApp, _ out: Output) throws {
        let (outcome, backup) = try app.initializeDatabase()
        let path = app.databasePath
        if out.json {
            let (name, applied): (String, [String]) =
                switch outcome {
                case .created: ("created", [])
                case .migrated(let list): ("migrated", list)
                case .upToDate: ("up_to_date", [])
                }
            try out.json(InitJSON(database: path, outcome: name, applied: applied, schema: SubletDatabase.schemaVersion, backup: backup))
            return
        }
        switch outcome {
        case .created: out.line("Created the database at \(path) (schema \(SubletDatabase.schemaVersion)).")
        case .migrated(let list):
            out.line("Backed up the database to \(backup ?? "?") before migrating.")
            out.line("Migrated the database at \(path): applied \(list.joined(separator: ", ")).")
        case .upToDate: out.line("The database at \(path) is up to date (schema \(SubletDatabase.schemaVersion)).")
        }
    }
}
