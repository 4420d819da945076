import Foundation
import Logging
import SubletDomain

/// Logs to stderr, one line per event: `label: message key=value …`. Under systemd (when
/// `JOURNAL_STREAM` is set) each line starts with its syslog priority (`<5>`), which journald
/// turns into the entry's level; on a terminal it starts with a UTC timestamp and the level.
///
/// The level is `SUBLET_LOG_LEVEL` (trace, debug, info, notice, warning, error, critical),
/// default `notice`. Personal numbers are never passed to a logger.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    let label: String
    let journal: Bool

    public init(label: String, level: Logger.Level, journal: Bool) {
        self.label = label
        logLevel = level
        self.journal = journal
    }

    /// Makes every `Logger` in the process use this handler.
    public static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let level = environment["SUBLET_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        let journal = environment["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level, journal: journal) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data((format(event) + "\n").utf8))
    }

    /// The line for `event`, without the newline.
    func format(_ event: LogEvent) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        // One event, one line: a file name with a line break or an escape sequence, or a
        // multi-line message from a library, must not forge a line or drive the terminal.
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.clean("\($0.value)"))" }
        let prefix = journal ? "<\(Self.priority(event.level))>" : Date().formatted(.iso8601) + " \(event.level) "
        return prefix + label + ": " + Self.clean(event.message.description) + (fields.isEmpty ? "" : " " + fields.joined(separator: " "))
    }

    /// Control characters escaped (`\n`, `\u{1B}`) and personal numbers masked: a log line may
    /// quote a file name or a landlord's text.
    static func clean(_ text: String) -> String {
        Quote.escapingControlCharacters(SensitiveText.masked(text))
    }

    /// syslog priorities, as journald reads them from a `<N>` prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
