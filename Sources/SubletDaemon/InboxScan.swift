import Foundation
import InvoiceFeed
import Logging
import SubletApp
import SubletDomain
import SubletStorage
import Synchronization

/// One pass over the inbox, as the watcher runs it every poll interval. Injected into
/// `InboxWatcher`, so that the watching (timing, shutdown, systemd) and the work stand apart.
public protocol InboxScanning: Sendable {
    /// Scans once and returns the updated state; blocking work (the disk, SQLite, libxml2).
    /// Stops between files once `stop` is raised.
    func scan(_ state: ScanState, stop: StopFlag) -> ScanState
}

/// What the watcher carries from one scan to the next.
public struct ScanState: Sendable {
    /// Totals since start, for STATUS= and the logs.
    public var tally = Tally()
    var tracker: StabilityTracker

    public init(pollInterval: Duration) { tracker = StabilityTracker(interval: pollInterval) }

    public struct Tally: Sendable, Equatable {
        public var ingested = 0
        public var rejected = 0
        public var skipped = 0
        /// Files seen in the last scan but not yet standing still.
        public var waiting = 0
    }
}

/// Raised on graceful shutdown; read by the scan between files, on whatever thread it runs.
public final class StopFlag: Sendable {
    private let raised = Atomic(false)
    public init() {}
    public func raise() { raised.store(true, ordering: .relaxed) }
    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}

/// The daemon's scan: takes each new file in once it stands still, moves it to
/// `archive/YYYY/MM/` or, with an `.error.txt` beside it, to `rejected/`, and then rebuilds the
/// reports of the months the files billed (once per month, however many files billed it). Only
/// regular files are opened; a FIFO, socket, device or symbolic link is moved aside to
/// `rejected/` unopened, and a folder is left alone. Survives every bad file. The date is read
/// once per scan from the app's clock.
public struct InboxScan: InboxScanning {
    public let app: SubletApp
    /// Built once per process: the template is loaded at start.
    public let reports: ReconciliationReports
    public let notifier: SystemdNotifier

    public init(app: SubletApp, notifier: SystemdNotifier) throws(ConfigurationError) {
        self.app = app
        self.notifier = notifier
        reports = try ReconciliationReports(settings: app.settings)
    }

    var paths: Settings.Paths { app.settings.paths }
    var logger: Logger { app.logger }

    public func scan(_ state: ScanState, stop: StopFlag) -> ScanState {
        var state = state
        let entries: [InboxEntry]
        do {
            entries = try InboxFolder.entries(in: paths.inbox)
        } catch {
            logger.error("Cannot read the inbox", metadata: ["inbox": "\(paths.inbox)", "error": "\(error)"])
            return state
        }
        let app = app.pinningToday()
        state.tracker.keep(only: Set(entries.map(\.name)))
        state.tally.waiting = 0
        var billed: Set<BillingPeriod> = []
        for entry in entries {
            if stop.isRaised { break }
            switch entry.kind {
            case .directory:
                if state.tracker.reportOnce(entry.name) {
                    logger.warning("Left alone: a folder in the inbox", metadata: ["file": "\(entry.name)"])
                }
            case .other(let kind):
                // Never opened: an open() of a FIFO would wait for a writer for ever.
                if let error = setAside(entry.name, reason: FeedError.notRegular(file: entry.name, kind: kind), regular: false, &state.tally),
                    state.tracker.reportOnce(entry.name)
                {
                    logger.error(
                        "Not a regular file, and it could not be moved out of the inbox; left alone",
                        metadata: ["file": "\(entry.name)", "kind": "\(kind)", "error": "\(error)"])
                }
            case .regular(let size, let modified):
                guard state.tracker.isStable(entry.name, size: size, modified: modified) else {
                    state.tally.waiting += 1
                    continue
                }
                billed.formUnion(process(entry.name, app: app, &state.tally))
            }
            notifier.watchdog()
        }
        rebuildReports(for: billed, app: app)
        return state
    }

    /// Takes one file in and moves it; returns the months it billed (also when it was taken in
    /// before but not moved, so its reports are rebuilt).
    func process(_ name: String, app: SubletApp, _ tally: inout ScanState.Tally) -> Set<BillingPeriod> {
        let metadata: Logger.Metadata = ["file": "\(name)"]
        do {
            let taken = try app.takeIn(file: paths.inbox + "/" + name)
            let destination = try InboxFolder.move(name, from: paths.inbox, to: archiveFolder(app.clock.today), regular: true)
            tally.ingested += 1
            switch taken {
            case .invoices(let outcome):
                logger.notice(
                    outcome.alreadyIngested ? "Already taken in" : "Taken in",
                    metadata: metadata.merging([
                        "invoices": "\(outcome.invoices)", "duplicates": "\(outcome.duplicates)", "rule.failures": "\(outcome.ruleFailures)",
                        "archived": "\(destination)",
                    ]) { $1 })
                return outcome.periods
            case .payments(let result):
                logger.notice(
                    result.outcome.alreadyImported ? "Payments imported before" : "Payments imported",
                    metadata: metadata.merging([
                        "format": "\(result.format.rawValue)", "payments": "\(result.outcome.payments)",
                        "duplicates": "\(result.outcome.duplicates)",
                        "unidentified": "\(result.outcome.payments - (result.outcome.byTier[.ocr] ?? 0))", "archived": "\(destination)",
                    ]) { $1 })
                return []
            }
        } catch let error as FeedError where error == .notFound(file: name) {
            // Gone between the listing and the opening (a sender took it back): nothing to do.
            logger.info("Gone before it was read", metadata: metadata)
        } catch let error as PaymentFileError {
            if let failure = setAside(name, reason: error, regular: true, &tally) {
                tally.skipped += 1
                logger.error(
                    "Rejected, but could not be moved out of the inbox",
                    metadata: metadata.merging(["reason": "\(error)", "error": "\(failure)"]) { $1 })
            }
        } catch let error as FeedError {
            if let failure = setAside(name, reason: error, regular: true, &tally) {
                tally.skipped += 1
                logger.error(
                    "Rejected, but could not be moved out of the inbox",
                    metadata: metadata.merging([
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
    func setAside(_ name: String, reason: some CustomStringConvertible, regular: Bool, _ tally: inout ScanState.Tally) -> (any Error)? {
        do {
            let destination = try InboxFolder.move(name, from: paths.inbox, to: paths.rejected, regular: regular)
            tally.rejected += 1
            let report = SensitiveText.masked(
                "\(app.clock.now.formatted(.iso8601))  \(Quote.escapingControlCharacters(name))\n\(reason.description)\n")
            try FileOutput.write(Data(report.utf8), to: destination + ".error.txt")
            logger.warning("Rejected", metadata: ["file": "\(name)", "reason": "\(reason.description)", "moved": "\(destination)"])
            return nil
        } catch {
            return error
        }
    }

    func archiveFolder(_ today: CalendarDate) -> String {
        paths.archive + "/" + String(today.year) + "/" + String(today.month).zeroPadded(to: 2)
    }

    func rebuildReports(for periods: Set<BillingPeriod>, app: SubletApp) {
        for period in periods.sorted() {
            do {
                let written = try reports.build(
                    period: period, database: app.database, reconciler: app.reconciler, generated: SystemClock.stockholmMinute(of: app.clock.now))
                logger.info("Reports rebuilt", metadata: ["period": "\(period)", "reports": "\(written.count)"])
            } catch {
                logger.error("Could not rebuild the reports", metadata: ["period": "\(period)", "error": "\(error)"])
            }
        }
    }
}
