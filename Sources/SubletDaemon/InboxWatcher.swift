import Foundation
import InvoiceFeed
import Logging
import ServiceLifecycle
import SubletDomain
import SubletJobs
import SubletStorage

/// Watches the inbox: takes each new file in, moves it to `archive/YYYY/MM/` or, with an
/// `.error.txt` beside it, to `rejected/`, and after each scan rebuilds the reports of the months
/// the files billed (once per month, however many files billed it).
/// Survives every bad file; on graceful shutdown it finishes the file in hand and returns.
public struct InboxWatcher: Service {
    public let configuration: SubletConfiguration
    public let database: SubletDatabase
    public let notifier: SystemdNotifier
    public let logger: Logger
    public let actor: String

    public init(configuration: SubletConfiguration, database: SubletDatabase, notifier: SystemdNotifier, logger: Logger, actor: String) {
        self.configuration = configuration
        self.database = database
        self.notifier = notifier
        self.logger = logger
        self.actor = actor
    }

    /// Totals since start, for STATUS= and the logs.
    public struct Tally: Sendable, Equatable {
        public var ingested = 0
        public var rejected = 0
        public var skipped = 0
    }

    public func run() async throws {
        var tally = Tally()
        notifier.ready(status: "watching \(configuration.inboxDirectory)")
        logger.notice("Watching the inbox", metadata: ["inbox": "\(configuration.inboxDirectory)", "poll.seconds": "\(configuration.pollSeconds)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            scan(&tally)
            notifier.status("watching \(configuration.inboxDirectory): \(tally.ingested) taken in, \(tally.rejected) rejected since start")
            notifier.watchdog()
            // Sleep until the next scan, pinging the watchdog, and wake at once on SIGTERM.
            var remaining = Duration.milliseconds(Int(configuration.pollSeconds * 1000))
            let step = min(remaining, notifier.watchdogInterval ?? remaining)
            while remaining > .zero, !Task.isShuttingDownGracefully, !Task.isCancelled {
                let pause = min(step, remaining)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                remaining -= pause
                notifier.watchdog()
            }
        }
        notifier.stopping()
        logger.notice("Stopped", metadata: ["files.ingested": "\(tally.ingested)", "files.rejected": "\(tally.rejected)"])
    }

    /// Takes in every waiting file, oldest name first, stopping between files on shutdown; then
    /// rebuilds the reports of the months they billed.
    public func scan(_ tally: inout Tally) {
        let files: [String]
        do {
            files = try Self.waitingFiles(in: configuration.inboxDirectory)
        } catch {
            logger.error("Cannot read the inbox", metadata: ["inbox": "\(configuration.inboxDirectory)", "error": "\(error)"])
            return
        }
        var billed: Set<BillingPeriod> = []
        for name in files {
            if Task.isShuttingDownGracefully { break }
            billed.formUnion(process(name, &tally))
            notifier.watchdog()
        }
        rebuildReports(for: billed)
    }

    /// Regular files in the inbox, except dotfiles and `*.tmp` (still being written).
    public static func waitingFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
            guard !name.hasPrefix("."), !name.hasSuffix(".tmp") else { return false }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// Takes one file in and moves it; returns the months it billed.
    func process(_ name: String, _ tally: inout Tally) -> Set<BillingPeriod> {
        let path = configuration.inboxDirectory + "/" + name
        let context: ChangeContext
        do {
            context = ChangeContext(actor: actor, today: try Today.resolve())
        } catch {
            logger.error("Cannot tell today's date", metadata: ["error": "\(error)"])
            return []
        }
        let metadata: Logger.Metadata = ["file": "\(name)"]
        do {
            let outcome = try InvoiceIngest(database: database, configuration: configuration).ingest(path: path, context: context)
            let destination = try move(path, to: archiveFolder(context.today))
            tally.ingested += 1
            logger.notice(outcome.alreadyIngested ? "Already taken in" : "Taken in", metadata: metadata.merging([
                "invoices": "\(outcome.invoices)", "duplicates": "\(outcome.duplicates)", "rule.failures": "\(outcome.ruleFailures)",
                "archived": "\(destination)",
            ]) { $1 })
            return outcome.periods
        } catch let error as FeedError {
            tally.rejected += 1
            do {
                let destination = try move(path, to: configuration.rejectedDirectory)
                let report = "\(context.timestamp)  \(name)\n\(error.description)\n"
                try FileOutput.write(Data(report.utf8), to: destination + ".error.txt")
                logger.warning("Rejected", metadata: metadata.merging(["reason": "\(error.description)", "moved": "\(destination)"]) { $1 })
            } catch {
                logger.error("Rejected, but could not be moved out of the inbox", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                tally.skipped += 1
            }
        } catch {
            // The database or the disk, not the file: leave it for the next scan.
            tally.skipped += 1
            logger.error("Could not take in; will retry", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
        return []
    }

    func archiveFolder(_ today: CalendarDate) -> String {
        configuration.archiveDirectory + "/" + String(today.year) + "/" + String(today.month).zeroPadded(to: 2)
    }

    /// Moves a file into `folder` (created if missing) without overwriting; returns its new path.
    func move(_ path: String, to folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = URL(fileURLWithPath: path).lastPathComponent
        var destination = folder + "/" + name
        var counter = 1
        while FileManager.default.fileExists(atPath: destination) {
            destination = folder + "/" + name + "." + String(counter)
            counter += 1
        }
        try FileManager.default.moveItem(atPath: path, toPath: destination)
        return destination
    }

    func rebuildReports(for periods: Set<BillingPeriod>) {
        guard !periods.isEmpty else { return }
        let today: CalendarDate
        do {
            today = try Today.resolve()
        } catch {
            logger.error("Cannot tell today's date", metadata: ["error": "\(error)"])
            return
        }
        for period in periods.sorted() {
            do {
                let written = try ReconciliationReports(configuration: configuration).build(period: period, database: database, today: today)
                logger.info("Reports rebuilt", metadata: ["period": "\(period)", "reports": "\(written.count)"])
            } catch {
                logger.error("Could not rebuild the reports", metadata: ["period": "\(period)", "error": "\(error)"])
            }
        }
    }
}
