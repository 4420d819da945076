import ArgumentParser
import SubletApp

/// Options every command takes.
public struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Database file (else $SUBLET_DB, else paths.database).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Configuration file (else $SUBLET_CONFIG, else /etc/sublet/sublet.toml if it exists).", valueName: "path"))
    var config: String?

    @Flag(help: "Machine-readable JSON output (shapes in docs/cli.md).")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Who is making the change, for the audit log (else $SUDO_USER, else $USER); the OS user is recorded beside it.", valueName: "name"))
    var actor: String?

    public init() {}

    /// What the app is built from, with the command's database access.
    func launchOptions(access: SubletApp.DatabaseAccess) -> SubletApp.LaunchOptions {
        SubletApp.LaunchOptions(configPath: config, databasePath: db, actor: actor, access: access)
    }
}

/// A `sublet` command: parses its options, runs one use case of the app, and renders the result
/// through `Output`. `SubletMain` builds the app once and hands it over.
protocol AppCommand: ParsableCommand {
    var global: GlobalOptions { get }
    /// How the command uses the database (default: reads and writes).
    var access: SubletApp.DatabaseAccess { get }
    func run(_ app: SubletApp, _ out: Output) throws
}

extension AppCommand {
    var access: SubletApp.DatabaseAccess { .readWrite }

    /// Run through `SubletMain`; a command run on its own would have no app.
    func run() throws { throw CleanExit.helpRequest(self) }
}
