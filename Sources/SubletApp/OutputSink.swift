import Foundation

/// Where a command's results and messages go: results to `write` (stdout), errors, notes and
/// progress to `writeError` (stderr). The executables write to the process's streams; tests
/// collect the text.
public protocol OutputSink: Sendable {
    func write(_ text: String)
    func writeError(_ text: String)
    /// Whether stderr is a terminal (progress is shown only there).
    var isTerminal: Bool { get }
}

/// The process's standard output and error.
public struct StandardOutput: OutputSink {
    public init() {}
    public func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    public func writeError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
    public var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

/// Collects what a command writes, for tests and for running a command in-process.
public final class RecordedOutput: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    /// Whether to behave as a terminal's stderr (progress bars are drawn only there).
    public let isTerminal: Bool

    public init(terminal: Bool = false) { isTerminal = terminal }

    public func write(_ text: String) {
        lock.lock()
        out += text
        lock.unlock()
    }

    public func writeError(_ text: String) {
        lock.lock()
        err += text
        lock.unlock()
    }

    public var stdout: String {
        lock.lock()
        defer { lock.unlock() }
        return out
    }

    public var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return err
    }
}
