import ArgumentParser
import Foundation
import SubletDomain
import SubletJobs
import SubletStorage

/// Options every command takes.
public struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Database file (else $SUBLET_DB, else paths.database).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Configuration file (else $SUBLET_CONFIG, else /etc/sublet/sublet.toml if it exists).", valueName: "path"))
    var config: String?

    @Flag(help: "Machine-readable JSON output (shapes in docs/cli.md).")
    var json = false

    @Option(help: ArgumentHelp("Who is making the change, for the audit log (else $SUDO_USER, else $USER); the OS user is recorded beside it.", valueName: "name"))
    var actor: String?

    public init() {}

    /// The same options as arguments, to pass on to a job's command.
    var arguments: [String] {
        var result: [String] = []
        if let db { result += ["--db", db] }
        if let config { result += ["--config", config] }
        if json { result.append("--json") }
        if let actor { result += ["--actor", actor] }
        return result
    }

    /// Resolves configuration, database path, today's date and the actor.
    func environment(_ processEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws -> CommandEnvironment {
        let configuration = try SubletConfiguration.load(path: SubletConfiguration.path(explicit: config, environment: processEnvironment))
        let databasePath = configuration.databasePath(explicit: db, environment: processEnvironment)
        return CommandEnvironment(
            configuration: configuration, databasePath: databasePath, today: try Today.resolve(environment: processEnvironment),
            actor: try Self.actor(given: actor, environment: processEnvironment), json: json
        )
    }

    /// Who the audit log names: the OS user (`$SUDO_USER` when run through sudo, else `$USER`),
    /// or a given `--actor` with the OS user beside it, `anna (os user root)`, so that a name
    /// typed on the command line never hides who ran the command. `--actor` is printable text of
    /// at most 100 characters: a line break in it would forge a line in `sublet audit`.
    static func actor(given: String?, environment: [String: String]) throws -> String {
        let osUser = Quote.escapingControlCharacters(
            [environment["SUDO_USER"], environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty }
                ?? getpwuid(geteuid()).flatMap { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        )
        guard let given else { return osUser }
        let name = given.trimmingASCIIWhitespace()
        guard !name.isEmpty else { throw UsageError("--actor may not be empty") }
        guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" }) else {
            throw UsageError("--actor \(Quote.excerpt(name)) contains a line break or another control character; give a name in printable text")
        }
        guard name.count <= 100 else { throw UsageError("--actor is longer than 100 characters") }
        return name == osUser ? name : "\(name) (os user \(osUser))"
    }
}

/// What a command runs with, resolved once.
struct CommandEnvironment {
    var configuration: SubletConfiguration
    var databasePath: String
    var today: CalendarDate
    var actor: String
    var json: Bool

    var context: ChangeContext { ChangeContext(actor: actor, today: today) }

    /// Opens the database; `readOnly` for commands that only read (they then write nothing on
    /// open and never wait for a writer).
    func openDatabase(readOnly: Bool = false) throws -> SubletDatabase {
        try SubletDatabase.open(at: databasePath, busyTimeout: Double(configuration.busyTimeoutSeconds), readOnly: readOnly)
    }
}

/// A command that runs with the resolved environment and reports errors with sysexits codes.
protocol SubletSubcommand: ParsableCommand {
    var global: GlobalOptions { get }
    func execute(_ environment: CommandEnvironment) throws
}

extension SubletSubcommand {
    public func run() throws {
        try ErrorReporter.run {
            try execute(try global.environment())
        }
    }
}
