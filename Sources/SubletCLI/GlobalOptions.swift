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

    @Flag(name: [.customShort("q"), .long], help: "No notes or progress on stderr (errors still).")
    var quiet = false

    @Flag(name: [.customShort("v"), .long], help: "Log each step at info level on stderr (else $SUBLET_LOG_LEVEL).")
    var verbose = false

    public init() {}

    /// The options every command takes, which may also come before the subcommand, as in git and
    /// kubectl: `sublet --db x contract list` is `sublet contract list --db x`.
    static let valued: Set<String> = ["--db", "--config", "--actor"]
    static let flags: Set<String> = ["--json", "--quiet", "-q", "--verbose", "-v"]

    /// `arguments` with the global options found before the first subcommand moved to the end,
    /// where the subcommand's parser takes them. Anything else before the subcommand (`--help`,
    /// `--version`, an unknown option) stops the move and is left for the parser.
    static func hoisted(_ arguments: [String]) -> [String] {
        var moved: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) {
                moved.append(argument)
                index += 1
            } else if valued.contains(argument), index + 1 < arguments.count {
                moved += [argument, arguments[index + 1]]
                index += 2
            } else {
                break
            }
        }
        guard !moved.isEmpty, index < arguments.count else { return arguments }
        return Array(arguments[index...]) + moved
    }

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
