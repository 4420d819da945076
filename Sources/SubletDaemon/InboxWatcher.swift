import Dispatch
import Logging
import ServiceLifecycle

/// Watches the inbox: runs the injected scan every poll interval on a thread of its own (the
/// scan blocks on the disk, SQLite and libxml2, which must not hold Swift's cooperative pool),
/// reports to systemd between scans, and on graceful shutdown lets the scan finish the file in
/// hand and returns.
public struct InboxWatcher: Service {
    public let scanner: any InboxScanning
    public let notifier: SystemdNotifier
    public let logger: Logger
    public let pollInterval: Duration
    /// For STATUS= and the logs.
    public let inbox: String

    public init(scanner: any InboxScanning, notifier: SystemdNotifier, logger: Logger, pollInterval: Duration, inbox: String) {
        self.scanner = scanner
        self.notifier = notifier
        self.logger = logger
        self.pollInterval = pollInterval
        self.inbox = inbox
    }

    public func run() async throws {
        let stop = StopFlag()
        var state = ScanState(pollInterval: pollInterval)
        notifier.ready(status: "watching \(inbox)")
        logger.notice("Watching the inbox", metadata: ["inbox": "\(inbox)", "poll.seconds": "\(pollInterval)"])
        await withGracefulShutdownHandler {
            while !stop.isRaised, !Task.isCancelled {
                state = await scan(state, stop: stop)
                notifier.status("watching \(inbox): \(state.tally.ingested) taken in, \(state.tally.rejected) rejected since start")
                notifier.watchdog()
                await pause(pollInterval)
            }
        } onGracefulShutdown: {
            stop.raise()
        }
        notifier.stopping()
        logger.notice("Stopped", metadata: ["files.ingested": "\(state.tally.ingested)", "files.rejected": "\(state.tally.rejected)"])
    }

    /// `subletd --once`: takes in what stands still now, waits one poll interval for files still
    /// being written, takes those in too, and leaves what is still changing for the next run.
    public func scanOnce() async -> ScanState.Tally {
        let stop = StopFlag()
        var state = ScanState(pollInterval: pollInterval)
        state = await scan(state, stop: stop)
        if state.tally.waiting > 0 {
            await pause(pollInterval)
            state = await scan(state, stop: stop)
            if state.tally.waiting > 0 {
                logger.notice("Still being written; left for the next run", metadata: ["files": "\(state.tally.waiting)"])
            }
        }
        return state.tally
    }

    /// One scan on the watcher's own queue.
    func scan(_ state: ScanState, stop: StopFlag) async -> ScanState {
        let scanner = scanner
        return await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: scanner.scan(state, stop: stop)) }
        }
    }

    private static let queue = DispatchQueue(label: "subletd.inbox")

    /// Sleeps `duration`, pinging the watchdog, and wakes at once on SIGTERM.
    func pause(_ duration: Duration) async {
        var remaining = duration
        let step = min(remaining, notifier.watchdogInterval ?? remaining)
        while remaining > .zero, !Task.isShuttingDownGracefully, !Task.isCancelled {
            let pause = min(step, remaining)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            remaining -= pause
            notifier.watchdog()
        }
    }
}
