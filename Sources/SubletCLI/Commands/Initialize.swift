import ArgumentParser
import SubletJobs
import SubletStorage

struct Initialize: SubletSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the database, or migrate an older one forward.",
        discussion: "The file is created with mode 0600. A database written by a newer Sublet is refused."
    )

    @OptionGroup var global: GlobalOptions

    func execute(_ environment: CommandEnvironment) throws {
        let (_, outcome) = try SubletDatabase.initialize(at: environment.databasePath, busyTimeout: Double(environment.configuration.busyTimeoutSeconds))
        let path = environment.databasePath
        if environment.json {
            let (name, applied): (String, [String]) = switch outcome {
            case .created: ("created", [])
            case let .migrated(list): ("migrated", list)
            case .upToDate: ("up_to_date", [])
            }
            try Output.json(InitJSON(database: path, outcome: name, applied: applied, schema: SubletDatabase.schemaVersion))
            return
        }
        switch outcome {
        case .created: Output.line("Created the database at \(path) (schema \(SubletDatabase.schemaVersion)).")
        case let .migrated(list): Output.line("Migrated the database at \(path): applied \(list.joined(separator: ", ")).")
        case .upToDate: Output.line("The database at \(path) is up to date (schema \(SubletDatabase.schemaVersion)).")
        }
    }

    struct InitJSON: Encodable {
        var database: String
        var outcome: String
        var applied: [String]
        var schema: String
    }
}
