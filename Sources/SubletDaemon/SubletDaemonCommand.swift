import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SubletApp
import SubletDomain
import SubletStorage
import UnixSignals

/// `subletd`: runs in the foreground as systemd expects (`Type=notify`), configured by the same
/// file as `sublet`; stops cleanly on SIGTERM.
struct SubletDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subletd",
        abstract: "Watch the inbox for landlords' e-invoices, take them in and rebuild the districts' reconciliation reports.",
        discussion:
            "Paths and the poll interval come from the configuration (paths.inbox, paths.archive, paths.rejected, paths.outbox, paths.database, daemon.poll_seconds). The inbox, archive and rejected folders must stand apart from the database's folder, the outbox and each other. Exit codes: 0 after SIGTERM, 78 configuration error, 66 no database."
    )

    @Option(help: ArgumentHelp("Configuration file (else $SUBLET_CONFIG, else /etc/sublet/sublet.toml if it exists).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Database file (else $SUBLET_DB, else paths.database).", valueName: "path"))
    var db: String?

    @Flag(help: "Take in what is in the inbox once and exit (no watching).")
    var once = false
}

/// The `subletd` executable's entry point: parses the command line, builds the app, and watches
/// (or scans once). Start-up errors are logged and end the process with their exit code.
public enum SubletDaemonMain {
    public static func run(logger: Logger) async -> Never {
        let command: SubletDaemonCommand
        do {
            command = try SubletDaemonCommand.parse()
        } catch {
            SubletDaemonCommand.exit(withError: error)
        }
        let code = await run(command, environment: ProcessInfo.processInfo.environment, logger: logger)
        exit(code)
    }

    static func run(_ command: SubletDaemonCommand, environment: [String: String], logger: Logger) async -> Int32 {
        let watcher: InboxWatcher
        do {
            let app = try SubletApp.make(
                SubletApp.LaunchOptions(configPath: command.config, databasePath: command.db, access: .none),
                environment: environment, output: StandardOutput(), logger: logger)
            try DaemonFolders(configuration: app.settings, databasePath: app.databasePath).prepare()
            let opened = try app.opening(app.databasePath, access: .readWrite)
            try opened.requireSafeConfiguration(folders: .daemon)
            let notifier = SystemdNotifier(environment: environment)
            watcher = InboxWatcher(
                scanner: try InboxScan(app: opened, notifier: notifier), notifier: notifier, logger: logger,
                pollInterval: .milliseconds(Int(app.settings.daemon.pollSeconds * 1000)), inbox: app.settings.paths.inbox)
        } catch {
            logger.critical("Cannot start", metadata: ["error": "\(error)"])
            return startupExitCode(error)
        }
        if command.once {
            let tally = await watcher.scanOnce()
            logger.notice("Inbox taken in once", metadata: ["files.ingested": "\(tally.ingested)", "files.rejected": "\(tally.rejected)"])
            return 0
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: watcher)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
        do {
            try await group.run()
            return 0
        } catch {
            logger.critical("Stopped on an error", metadata: ["error": "\(error)"])
            return 1
        }
    }

    /// 66 when the database is missing, 78 for the configuration and any other database problem
    /// at start, 1 otherwise.
    static func startupExitCode(_ error: any Error) -> Int32 {
        if case StorageError.missing = error { return 66 }
        return error is ConfigurationError || error is StorageError ? 78 : 1
    }
}
