import Foundation
import InvoiceFeed
import Logging
import ServiceLifecycle
import SubletDomain
import SubletJobs
import SubletStorage

/// Watches the inbox: takes each new file in once it stands still, moves it to
/// `archive/YYYY/MM/` or, with an `.error.txt` beside it, to `rejected/`, and after each scan
/// rebuilds the reports of the months the files billed (once per month, however many files billed
/// it). Only regular files are opened; a FIFO, socket, device or symbolic link is moved aside to
/// `rejected/` unopened, and a folder is left alone. Survives every bad file; on graceful
/// shutdown it finishes the file in hand and returns.
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
        /// Files seen in the last scan but not yet standing still.
        public var waiting = 0
    }

    var pollInterval: Duration { .milliseconds(Int(configuration.pollSeconds * 1000)) }

    public func run() async throws {
        var tally = Tally()
        var tracker = StabilityTracker(interval: pollInterval)
        notifier.ready(status: "watching \(configuration.inboxDirectory)")
        logger.notice("Watching the inbox", metadata: ["inbox": "\(configuration.inboxDirectory)", "poll.seconds": "\(configuration.pollSeconds)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            scan(&tally, &tracker)
            notifier.status("watching \(configuration.inboxDirectory): \(tally.ingested) taken in, \(tally.rejected) rejected since start")
            notifier.watchdog()
            try? await pause(pollInterval)
        }
        notifier.stopping()
        logger.notice("Stopped", metadata: ["files.ingested": "\(tally.ingested)", "files.rejected": "\(tally.rejected)"])
    }

    /// Sleeps `duration`, pinging the watchdog, and wakes at once on SIGTERM.
    func pause(_ duration: Duration) async throws {
        var remaining = duration
        let step = min(remaining, notifier.watchdogInterval ?? remaining)
        while remaining > .zero, !Task.isShuttingDownGracefully, !Task.isCancelled {
            let pause = min(step, remaining)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            remaining -= pause
            notifier.watchdog()
        }
    }

    /// `subletd --once`: takes in what stands still now, waits one poll interval for files still
    /// being written, takes those in too, and leaves what is still changing for the next run.
    public func scanOnce() async -> Tally {
        var tally = Tally()
        var tracker = StabilityTracker(interval: pollInterval)
        scan(&tally, &tracker)
        if tally.waiting > 0, !Task.isShuttingDownGracefully {
            try? await pause(pollInterval)
            scan(&tally, &tracker)
            if tally.waiting > 0 {
                logger.notice("Still being written; left for the next run", metadata: ["files": "\(tally.waiting)"])
            }
        }
        return tally
    }

    /// Takes in every waiting file that stands still, oldest name first, stopping between files
    /// on shutdown; then rebuilds the reports of the months they billed.
    func scan(_ tally: inout Tally, _ tracker: inout StabilityTracker) {
        let entries: [InboxEntry]
        do {
            entries = try InboxFolder.entries(in: configuration.inboxDirectory)
        } catch {
            logger.error("Cannot read the inbox", metadata: ["inbox": "\(configuration.inboxDirectory)", "error": "\(error)"])
            return
        }
        tracker.keep(only: Set(entries.map(\.name)))
        tally.waiting = 0
        var billed: Set<BillingPeriod> = []
        for entry in entries {
            if Task.isShuttingDownGracefully { break }
            switch entry.kind {
            case .directory:
                if tracker.reportOnce(entry.name) {
                    logger.warning("Left alone: a folder in the inbox", metadata: ["file": "\(entry.name)"])
                }
            case let .other(kind):
                // Never opened: an open() of a FIFO would wait for a writer for ever.
                if let error = setAside(entry.name, reason: FeedError.notRegular(file: entry.name, kind: kind), regular: false, &tally),
                   tracker.reportOnce(entry.name) {
                    logger.error("Not a regular file, and it could not be moved out of the inbox; left alone",
                                 metadata: ["file": "\(entry.name)", "kind": "\(kind)", "error": "\(error)"])
                }
            case let .regular(size, modified):
                guard tracker.isStable(entry.name, size: size, modified: modified) else {
                    tally.waiting += 1
                    continue
                }
                billed.formUnion(process(entry.name, &tally))
            }
            notifier.watchdog()
        }
        rebuildReports(for: billed)
    }

    /// Takes one file in and moves it; returns the months it billed (also when it was taken in
    /// before but not moved, so its reports are rebuilt).
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
            let destination = try InboxFolder.move(name, from: configuration.inboxDirectory, to: archiveFolder(context.today), regular: true)
            tally.ingested += 1
            logger.notice(outcome.alreadyIngested ? "Already taken in" : "Taken in", metadata: metadata.merging([
                "invoices": "\(outcome.invoices)", "duplicates": "\(outcome.duplicates)", "rule.failures": "\(outcome.ruleFailures)",
                "archived": "\(destination)",
            ]) { $1 })
            return outcome.periods
        } catch let error as FeedError where error == .notFound(file: name) {
            // Gone between the listing and the opening (a sender took it back): nothing to do.
            logger.info("Gone before it was read", metadata: metadata)
        } catch let error as FeedError {
            if let failure = setAside(name, reason: error, regular: true, &tally) {
                tally.skipped += 1
                logger.error("Rejected, but could not be moved out of the inbox", metadata: metadata.merging([
                    "reason": "\(error.description)", "error": "\(failure)",
                ]) { $1 })
            }
        } catch {
            // The database or the disk, not the file: leave it for the next scan.
            tally.skipped += 1
            logger.error("Could not take in; will retry", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
        return []
    }

    /// Moves a rejected entry to `rejected/` with `NAME.error.txt` saying why; returns what
    /// stopped the move, if anything.
    func setAside(_ name: String, reason: FeedError, regular: Bool, _ tally: inout Tally) -> (any Error)? {
        do {
            let destination = try InboxFolder.move(name, from: configuration.inboxDirectory, to: configuration.rejectedDirectory, regular: regular)
            tally.rejected += 1
            let report = SensitiveText.masked("\(Date().formatted(.iso8601))  \(Quote.escapingControlCharacters(name))\n\(reason.description)\n")
            try FileOutput.write(Data(report.utf8), to: destination + ".error.txt")
            logger.warning("Rejected", metadata: ["file": "\(name)", "reason": "\(reason.description)", "moved": "\(destination)"])
            return nil
        } catch {
            return error
        }
    }

    func archiveFolder(_ today: CalendarDate) -> String {
        configuration.archiveDirectory + "/" + String(today.year) + "/" + String(today.month).zeroPadded(to: 2)
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
