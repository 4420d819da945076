import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SubletDomain
import SubletJobs
import SubletStorage
import UnixSignals

/// `subletd`: runs in the foreground as systemd expects (`Type=notify`), configured by the same
/// file as `sublet`; stops cleanly on SIGTERM.
public struct SubletDaemonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "subletd",
        abstract: "Watch the inbox for landlords' e-invoices, take them in and rebuild the districts' reconciliation reports.",
        discussion: "Paths and the poll interval come from the configuration (paths.inbox, paths.archive, paths.rejected, paths.outbox, paths.database, daemon.poll_seconds). The inbox, archive and rejected folders must stand apart from the database's folder, the outbox and each other. Exit codes: 0 after SIGTERM, 78 configuration error, 66 no database."
    )

    @Option(help: ArgumentHelp("Configuration file (else $SUBLET_CONFIG, else /etc/sublet/sublet.toml if it exists).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Database file (else $SUBLET_DB, else paths.database).", valueName: "path"))
    var db: String?

    @Flag(help: "Take in what is in the inbox once and exit (no watching).")
    var once = false

    public init() {}

    public func run() async throws {
        JournalLogHandler.bootstrap()
        let logger = Logger(label: "subletd")
        let environment = ProcessInfo.processInfo.environment
        let watcher: InboxWatcher
        do {
            let configuration = try SubletConfiguration.load(path: SubletConfiguration.path(explicit: config, environment: environment))
            _ = try Today.resolve(environment: environment)
            let databasePath = configuration.databasePath(explicit: db, environment: environment)
            try DaemonFolders(configuration: configuration, databasePath: databasePath).prepare()
            let database = try SubletDatabase.open(at: databasePath, busyTimeout: Double(configuration.busyTimeoutSeconds))
            let actor = environment["USER"] ?? "subletd"
            watcher = InboxWatcher(configuration: configuration, database: database, notifier: SystemdNotifier(), logger: logger, actor: actor)
        } catch let error as ConfigurationError {
            logger.critical("Configuration error", metadata: ["error": "\(error)"])
            throw ExitCode(78)
        } catch let error as StorageError {
            logger.critical("Cannot open the database", metadata: ["error": "\(error)"])
            throw ExitCode({ if case .missing = error { return 66 } else { return 78 } }())
        } catch {
            logger.critical("Cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        if once {
            let tally = await watcher.scanOnce()
            logger.notice("Inbox taken in once", metadata: ["files.ingested": "\(tally.ingested)", "files.rejected": "\(tally.rejected)"])
            return
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: watcher)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// The `subletd` executable's entry point.
public enum SubletDaemonMain {
    public static func run() async {
        await SubletDaemonCommand.main()
    }
}
