import Foundation

extension SubletApp {
    /// What `sublet alert` did about a failed unit.
    public struct Alert: Sendable, Equatable {
        /// The journal line, written at priority err.
        public var message: String
        /// `alert.command`'s exit status, or `nil` when none is configured.
        public var commandStatus: Int32?
    }

    /// Reports that systemd `unit` failed (sublet-alert@.service, from a unit's `OnFailure=`):
    /// one line on stderr, which journald files at priority err, then `alert.command` run by
    /// `/bin/sh` with the unit as `$1`, its output passed through.
    public func alert(unit: String) throws -> Alert {
        let message = "\(unit) failed; its log: journalctl -u \(unit)"
        // Under systemd, stderr is the journal: a `<3>` prefix gives the line priority err.
        output.writeError((ProcessInfo.processInfo.environment["JOURNAL_STREAM"] == nil ? "sublet: alert: " : "<3>sublet: alert: ") + message + "\n")
        guard !settings.alertCommand.isEmpty else { return Alert(message: message, commandStatus: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", settings.alertCommand, "sublet-alert", unit]
        try process.run()
        process.waitUntilExit()
        return Alert(message: message, commandStatus: process.terminationStatus)
    }
}
