import Foundation
import Logging
import SubletDomain
import SubletStorage

/// Everything a use case needs, built once per process by `make`: the settings, the database,
/// the clock, who is acting, the logger and where output goes. `sublet`, `subletd`, the timers'
/// jobs, the demo and the benchmark all run Sublet's use cases through it
/// (`SubletApp+UseCases.swift`).
public struct SubletApp: Sendable {
    public let settings: Settings
    public let databasePath: String
    public let clock: any StockholmClock
    /// Who the audit log names (`actor(given:environment:)`).
    public let actor: String
    public let logger: Logger
    public let output: any OutputSink
    private let opened: SubletDatabase?

    /// How a process uses the database.
    public enum DatabaseAccess: Sendable, Equatable {
        /// Open it for writing (it must exist and have the current schema).
        case readWrite
        /// One read-only connection: nothing is written, not even on opening.
        case readOnly
        /// Not at all (`init` creates it; `demo` makes its own).
        case none
    }

    /// What the command line (or the daemon) says about the process.
    public struct LaunchOptions: Sendable {
        public var configPath: String?
        public var databasePath: String?
        public var actor: String?
        public var access: DatabaseAccess

        public init(configPath: String? = nil, databasePath: String? = nil, actor: String? = nil, access: DatabaseAccess = .readWrite) {
            self.configPath = configPath
            self.databasePath = databasePath
            self.actor = actor
            self.access = access
        }
    }

    public init(
        settings: Settings, databasePath: String, database: SubletDatabase?, clock: any StockholmClock, actor: String,
        logger: Logger, output: any OutputSink
    ) {
        self.settings = settings
        self.databasePath = databasePath
        opened = database
        self.clock = clock
        self.actor = actor
        self.logger = logger
        self.output = output
    }

    /// The composition root: resolves the configuration (`--config`, `$SUBLET_CONFIG`,
    /// `/etc/sublet/sublet.toml`, the defaults), the database path (`--db`, `$SUBLET_DB`,
    /// `paths.database`), the clock (`$SUBLET_TODAY`) and the actor, then opens the database as
    /// `access` says. Errors come in that order: configuration (exit 78), actor (64), database.
    public static func make(
        _ options: LaunchOptions, environment: [String: String], output: any OutputSink, logger: Logger,
        clock: (any StockholmClock)? = nil
    ) throws -> SubletApp {
        var settings = try Settings.load(path: Settings.path(explicit: options.configPath, environment: environment))
        let (databasePath, databaseSource) = settings.databaseChoice(explicit: options.databasePath, environment: environment)
        settings.databaseOverride = [.flag, .environment].contains(databaseSource) ? databaseSource : nil
        let clock = try clock ?? SystemClock(environment: environment)
        let actor = try Self.actor(given: options.actor, environment: environment)
        let timeout = Double(settings.busyTimeoutSeconds)
        let database: SubletDatabase? =
            switch options.access {
            case .readWrite: try SubletDatabase.open(at: databasePath, busyTimeout: timeout)
            case .readOnly: try SubletDatabase.open(at: databasePath, busyTimeout: timeout, readOnly: true)
            case .none: nil
            }
        return SubletApp(
            settings: settings, databasePath: databasePath, database: database, clock: clock, actor: actor, logger: logger, output: output)
    }

    /// The database the process opened (a programming error if it opened none).
    public var database: SubletDatabase {
        get throws {
            guard let opened else { throw StorageError.missing(path: databasePath) }
            return opened
        }
    }

    /// Who and when, for the audit log and the dates of what is written.
    public var context: ChangeContext { ChangeContext(actor: actor, today: clock.today, now: clock.now) }

    /// A copy with another clock (a back-dated run, a pinned day).
    public func with(clock: any StockholmClock) -> SubletApp {
        SubletApp(settings: settings, databasePath: databasePath, database: opened, clock: clock, actor: actor, logger: logger, output: output)
    }

    /// A copy with other settings (the demo's own folders).
    public func with(settings: Settings) -> SubletApp {
        SubletApp(settings: settings, databasePath: databasePath, database: opened, clock: clock, actor: actor, logger: logger, output: output)
    }

    /// A copy of the app using another database file (`db check FILE`, the demo's database).
    public func opening(_ path: String, access: DatabaseAccess) throws -> SubletApp {
        let timeout = Double(settings.busyTimeoutSeconds)
        let database: SubletDatabase? =
            switch access {
            case .readWrite: try SubletDatabase.open(at: path, busyTimeout: timeout)
            case .readOnly: try SubletDatabase.open(at: path, busyTimeout: timeout, readOnly: true)
            case .none: nil
            }
        return SubletApp(settings: settings, databasePath: path, database: database, clock: clock, actor: actor, logger: logger, output: output)
    }

    /// Who the audit log names: the OS user (`$SUDO_USER` when run through sudo, else `$USER`),
    /// or a given `--actor` with the OS user beside it, `anna (os user root)`, so that a name
    /// typed on the command line never hides who ran the command. The given name is printable
    /// text of at most 100 characters: a line break in it would forge a line in `sublet audit`.
    public static func actor(given: String?, environment: [String: String]) throws(ActorError) -> String {
        let osUser = Quote.escapingControlCharacters(
            [environment["SUDO_USER"], environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty }
                ?? getpwuid(geteuid()).flatMap { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        )
        guard let given else { return osUser }
        let name = given.trimmingASCIIWhitespace()
        guard !name.isEmpty else { throw ActorError("--actor may not be empty") }
        guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" })
        else {
            throw ActorError("--actor \(Quote.excerpt(name)) contains a line break or another control character; give a name in printable text")
        }
        guard name.count <= 100 else { throw ActorError("--actor is longer than 100 characters") }
        return name == osUser ? name : "\(name) (os user \(osUser))"
    }

    /// An actor name that cannot be recorded (a usage error).
    public struct ActorError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
