import Foundation
import SubletDomain
import TOMLKit

/// Sublet's settings: the defaults compiled in, overridden by a TOML file whose dotted keys
/// (`paths.database`, `notice.min_days`, …) are documented in `Config/sublet.toml`, one group per
/// topic.
///
/// Relative paths in a file are resolved against the file's folder; the defaults resolve against
/// the working directory. The templates and the job definitions are compiled in: `paths.templates`
/// and `paths.jobs` name folders that replace them.
public struct Settings: Sendable, Equatable {
    /// Where Sublet keeps and finds its files.
    public struct Paths: Sendable, Equatable {
        public var database = "sublet.sqlite"
        /// Job definitions replacing the compiled-in ones (`nil`: those).
        public var jobs: String?
        /// Templates replacing the compiled-in ones, file by file (`nil`: those).
        public var templates: String?
        public var outbox = "outbox"
        public var backups = "backups"
        public var inbox = "inbox"
        public var archive = "archive"
        public var rejected = "rejected"
    }

    /// Who the tenants pay: printed on every notice.
    public struct Payee: Sendable, Equatable {
        public var name = "Stockholms stad"
        public var bankgiro = BankgiroNumber.example

        public init() {}

        public init(name: String, bankgiro: BankgiroNumber) {
            self.name = name
            self.bankgiro = bankgiro
        }
    }

    /// How notices are dated, prorated and referenced.
    public struct Notices: Sendable, Equatable {
        public var minimumDays = 10
        public var proration = ProrationBasis.actualDays
        public var ocrLengthDigit = true
    }

    public struct Reconciliation: Sendable, Equatable {
        public var graceDays = 10
        public var tolerance = Money.zero
    }

    /// Incoming payments and what follows when rent is late.
    public struct Payments: Sendable, Equatable {
        /// Money beyond what the named notice owes (`payments.overpayment`).
        public var overpayment = OverpaymentPolicy.nextNotice
        /// A reminder goes out this many days after the due date (`reminders.days_after_due`).
        public var reminderDaysAfterDue = 5
        /// The reminder fee (`reminders.fee`): 0 unless the contracts provide for one.
        public var reminderFee = Money.zero
    }

    public struct Daemon: Sendable, Equatable {
        public var pollSeconds = 10.0
        /// Whether `paths.inbox` may be a symbolic link (`daemon.allow_symlinked_inbox`).
        public var allowSymlinkedInbox = false
    }

    /// The file the values came from, or `nil` for the defaults.
    public var source: String?
    /// The keys the file set (the others are defaults), for `config show`.
    public var fileKeys: Set<String> = []
    /// `--db` or `$SUBLET_DB` when one of them chose the database over `paths.database`.
    public var databaseOverride: SettingSource?
    public var paths = Paths()
    public var payee = Payee()
    public var notices = Notices()
    /// The city's price list for retroactive corrections (`price_list.retroactive_correction.*`).
    public var priceList = CorrectionPriceList()
    public var reconciliation = Reconciliation()
    public var daemon = Daemon()
    public var payments = Payments()
    public var portal = Portal()
    /// Files larger than this are rejected unread (`ingest.max_file_mb`).
    public var maximumFileMegabytes = 200
    /// Nightly backups kept (`backup.keep`).
    public var backupKeep = 14
    /// Seconds a write waits for another process's write (`database.busy_timeout`).
    public var busyTimeoutSeconds = 10
    /// Run by `sublet alert` when a unit fails (`alert.command`; empty: none).
    public var alertCommand = ""

    /// The defaults.
    public init() {}

    /// The system-wide file used when neither `--config` nor `SUBLET_CONFIG` names one.
    public static let systemPath = "/etc/sublet/sublet.toml"

    /// The file to read: `explicit` (`--config`), else `$SUBLET_CONFIG`, else `systemPath` if it
    /// exists, else `nil` (the embedded defaults). Shared by `sublet` and `subletd`.
    public static func path(explicit: String?, environment: [String: String]) -> String? {
        explicit ?? environment["SUBLET_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.fileExists(atPath: systemPath) ? systemPath : nil)
    }

    /// The database: `explicit` (`--db`), else `$SUBLET_DB`, else `paths.database`.
    public func databasePath(explicit: String?, environment: [String: String]) -> String {
        databaseChoice(explicit: explicit, environment: environment).path
    }

    /// The database path and where it came from.
    public func databaseChoice(explicit: String?, environment: [String: String]) -> (path: String, source: SettingSource) {
        if let explicit { return (explicit, .flag) }
        if let variable = environment["SUBLET_DB"], !variable.isEmpty { return (variable, .environment) }
        return (paths.database, fileKeys.contains("paths.database") ? .file : .defaults)
    }

    /// Loads `path`, or the embedded defaults when `path` is `nil`.
    public static func load(path: String?) throws(ConfigurationError) -> Settings {
        guard let path else { return Settings() }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "not readable UTF-8 text" : "no such file")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, source: path, baseDirectory: base)
    }

    /// Parses TOML text. Unknown keys and bad values are errors that name the key.
    public static func parse(_ text: String, source: String, baseDirectory: String) throws(ConfigurationError) -> Settings {
        let table = try parseTOML(text, path: source)
        var configuration = Settings()
        configuration.source = source
        for (key, value) in flatten(table, prefix: "") {
            let known: Bool
            do {
                known = try configuration.set(key, to: value, base: baseDirectory)
            } catch {
                throw .badValue(path: source, key: key, message: error.message)
            }
            guard known else { throw .unknownKey(path: source, key: key) }
            configuration.fileKeys.insert(key)
        }
        return configuration
    }

    private static func flatten(_ table: TOMLTable, prefix: String) -> [(String, any TOMLValueConvertible)] {
        var result: [(String, any TOMLValueConvertible)] = []
        for (key, value) in table {
            let dotted = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value.table { result += flatten(nested, prefix: dotted) } else { result.append((dotted, value)) }
        }
        return result
    }

    /// Every key a file may set.
    public static let knownKeys =
        [
            "paths.database", "paths.jobs", "paths.templates", "paths.outbox", "paths.backups",
            "payee.name", "payee.bankgiro", "notice.min_days", "proration.basis", "ocr.length_digit", "backup.keep",
            "database.busy_timeout",
            "price_list.retroactive_correction.min_notices", "price_list.retroactive_correction.model",
            "price_list.retroactive_correction.fee", "price_list.retroactive_correction.hourly_rate",
            "price_list.retroactive_correction.increment_minutes",
            "paths.inbox", "paths.archive", "paths.rejected", "daemon.poll_seconds", "daemon.allow_symlinked_inbox", "reconciliation.grace_days",
            "reconciliation.tolerance",
            "ingest.max_file_mb", "payments.overpayment", "reminders.days_after_due", "reminders.fee", "alert.command",
        ] + portalKeys

    /// Sets `key`; `false` when the key is unknown.
    mutating func set(_ key: String, to value: any TOMLValueConvertible, base: String) throws(FieldError) -> Bool {
        switch key {
        case "paths.database": paths.database = try Self.path(value, base)
        case "paths.jobs": paths.jobs = try Self.path(value, base)
        case "paths.templates": paths.templates = try Self.path(value, base)
        case "paths.outbox": paths.outbox = try Self.path(value, base)
        case "paths.backups": paths.backups = try Self.path(value, base)
        case "paths.inbox": paths.inbox = try Self.path(value, base)
        case "paths.archive": paths.archive = try Self.path(value, base)
        case "paths.rejected": paths.rejected = try Self.path(value, base)
        case "daemon.poll_seconds":
            guard let seconds = value.double ?? value.int.map(Double.init), seconds >= 0.1, seconds <= 3600 else {
                throw FieldError("expected a number of seconds from 0.1 to 3600")
            }
            daemon.pollSeconds = seconds
        case "daemon.allow_symlinked_inbox": daemon.allowSymlinkedInbox = try Self.boolean(value)
        case "reconciliation.grace_days": reconciliation.graceDays = try Self.integer(value, in: 0...60)
        case "reconciliation.tolerance": reconciliation.tolerance = try Self.money(value)
        case "ingest.max_file_mb": maximumFileMegabytes = try Self.integer(value, in: 1...10_000)
        case "payments.overpayment":
            let text = try Self.string(value)
            guard let policy = OverpaymentPolicy(rawValue: text) else {
                throw FieldError("\(Quote.excerpt(text)) is not an overpayment rule (\"next_notice\" or \"refund\")")
            }
            payments.overpayment = policy
        case "reminders.days_after_due": payments.reminderDaysAfterDue = try Self.integer(value, in: 0...90)
        case "reminders.fee": payments.reminderFee = try Self.money(value)
        case "payee.name": payee.name = try Self.string(value)
        case "payee.bankgiro":
            let text = try Self.string(value)
            do { payee.bankgiro = try BankgiroNumber(parsing: text) } catch { throw FieldError(error.description) }
        case "notice.min_days": notices.minimumDays = try Self.integer(value, in: 0...60)
        case "proration.basis":
            let text = try Self.string(value)
            guard let basis = ProrationBasis(rawValue: text) else {
                let choices = ProrationBasis.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
                throw FieldError("\(Quote.excerpt(text)) is not a proration basis (\(choices))")
            }
            notices.proration = basis
        case "ocr.length_digit": notices.ocrLengthDigit = try Self.boolean(value)
        case "backup.keep": backupKeep = try Self.integer(value, in: 1...1000)
        case "alert.command": alertCommand = try Self.string(value)
        case "database.busy_timeout": busyTimeoutSeconds = try Self.integer(value, in: 0...600)
        case "price_list.retroactive_correction.min_notices": priceList.minimumNotices = try Self.integer(value, in: 1...120)
        case "price_list.retroactive_correction.model":
            let text = try Self.string(value)
            guard let model = CorrectionPriceList.Model(rawValue: text) else {
                throw FieldError("\(Quote.excerpt(text)) is not a price model (\"fixed\" or \"time\")")
            }
            priceList.model = model
        case "price_list.retroactive_correction.fee": priceList.fixedFee = try Self.money(value)
        case "price_list.retroactive_correction.hourly_rate": priceList.hourlyRate = try Self.money(value)
        case "price_list.retroactive_correction.increment_minutes": priceList.incrementMinutes = try Self.integer(value, in: 1...480)
        default: return try setPortal(key, to: value, base: base)
        }
        return true
    }

    static func string(_ value: any TOMLValueConvertible) throws(FieldError) -> String {
        guard let text = value.string else { throw FieldError("expected a string in quotes, found \(value.type)") }
        return text
    }

    static func integer(_ value: any TOMLValueConvertible, in range: ClosedRange<Int>) throws(FieldError) -> Int {
        guard let number = value.int else { throw FieldError("expected a whole number, found \(value.type)") }
        guard range.contains(number) else { throw FieldError("\(number) is outside \(range.lowerBound)…\(range.upperBound)") }
        return number
    }

    static func money(_ value: any TOMLValueConvertible) throws(FieldError) -> Money {
        let text = try string(value)
        do { return try Money.parse(text) } catch { throw FieldError(error.description + " (write the amount in quotes, e.g. \"450.00\")") }
    }

    static func boolean(_ value: any TOMLValueConvertible) throws(FieldError) -> Bool {
        guard let flag = value.bool else { throw FieldError("expected true or false, found \(value.type)") }
        return flag
    }

    static func path(_ value: any TOMLValueConvertible, _ base: String) throws(FieldError) -> String {
        let text = try string(value)
        guard !text.isEmpty else { throw FieldError("a path may not be empty") }
        return text.hasPrefix("/")
            ? text : URL(fileURLWithPath: text, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL.path
    }
}

/// Where an effective setting came from (`config show`).
public enum SettingSource: String, Sendable, Equatable, Encodable {
    case defaults = "default"
    case file
    case environment
    case flag
}

/// Parses TOML text from `path`; a syntax error names the file, line and column.
func parseTOML(_ text: String, path: String) throws(ConfigurationError) -> TOMLTable {
    do {
        return try TOMLTable(string: text)
    } catch let error as TOMLParseError {
        throw .syntax(path: path, line: error.source.begin.line, column: error.source.begin.column, message: error.description)
    } catch {
        throw .syntax(path: path, line: 0, column: 0, message: "\(error)")
    }
}

/// A configuration problem (exit 78), naming the file and the key.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case syntax(path: String, line: Int, column: Int, message: String)
    case unknownKey(path: String, key: String)
    case badValue(path: String, key: String, message: String)
    /// A setting outside the file (an environment variable), or a folder the configuration names.
    case setting(name: String, message: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "configuration file \(path): \(reason)"
        case .syntax(let path, let line, let column, let message): "configuration file \(path), line \(line), column \(column): \(message)"
        case .unknownKey(let path, let key): "configuration file \(path): unknown key '\(key)' (the keys are listed in Config/sublet.toml)"
        case .badValue(let path, let key, let message): "configuration file \(path): bad value for '\(key)': \(message)"
        case .setting(let name, let message): "configuration: \(name): \(message)"
        }
    }
}

extension ConfigurationError: CategorizedError {
    public var category: ErrorCategory { .configuration }
}

extension SubletApp.ActorError: CategorizedError {
    public var category: ErrorCategory { .usage }
}
