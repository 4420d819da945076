import Foundation
import Testing

/// `subletd` running on a workspace, as systemd runs it: its notify socket, SIGTERM to stop.
final class Daemon {
    static let binary = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path + "/subletd"

    let process = Process()
    let notify: NotifyListener
    private let errors = Pipe()
    private let collected = CLI.Collected()
    private let reader = DispatchGroup()

    /// Starts `subletd` (with `arguments`) in `workspace` and waits for READY=1 when `waitForReady`.
    init(_ workspace: CLI.Workspace, arguments: [String] = [], environment: [String: String] = [:], waitForReady: Bool = true) throws {
        notify = try NotifyListener(path: workspace.path + "/notify-\(UUID().uuidString.prefix(8)).sock")
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var env = [
            "PATH": "/usr/bin:/bin", "USER": "subletd-test", "SUBLET_CONFIG": workspace.config, "SUBLET_TODAY": workspace.today,
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000", "LANG": "C.UTF-8",
        ]
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let (pipe, collected) = (errors, collected)
        DispatchQueue.global().async(group: reader) { collected.data = pipe.fileHandleForReading.readDataToEndOfFile() }
        if waitForReady { #expect(notify.waitFor("READY=1", seconds: 20)) }
    }

    deinit { if process.isRunning { process.terminate() } }

    /// Sends SIGTERM and returns the seconds until the process exited.
    @discardableResult
    func stop() -> Double {
        let start = ContinuousClock.now
        process.terminate()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Waits for the process to exit by itself (`--once`, a refused start) and returns its status.
    func waitForExit(seconds: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else { return nil }
        return process.terminationStatus
    }

    /// What the daemon wrote to stderr, once it has exited.
    var log: String {
        reader.wait()
        return String(decoding: collected.data, as: UTF8.self)
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    static func eventually(seconds: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    static func contents(_ folder: String) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
    }
}
