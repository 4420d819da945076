import Foundation
import SubletDomain
import TOMLKit

/// A named, re-runnable job declared in `Jobs/NAME.toml`: the use case it runs, its parameters,
/// and when systemd starts it.
///
/// ```toml
/// name = "monthly-notices"
/// description = "Issue next month's rent notices"
/// schedule = "*-*-10 06:00:00 Europe/Stockholm"   # systemd OnCalendar
/// task = "issue-notices"                           # a use case of the application
/// period = "next-month"                            # its month: last-month, this-month, next-month or YYYY-MM
/// ```
public struct JobDefinition: Sendable, Equatable {
    /// The use cases a job may run.
    public enum Task: String, Sendable, Equatable, CaseIterable {
        /// The monthly run of notices (`sublet notices run`).
        case issueNotices = "issue-notices"
        /// The finance system's file of the month's fees (`sublet billing export`).
        case billFees = "bill-fees"
        /// The month's reconciliation reports (`sublet reports build`).
        case buildReports = "build-reports"
        /// A rotated backup (`sublet db backup --rotate`).
        case backUp = "back-up"
        /// Reminders for notices unpaid `reminders.days_after_due` days after their due date.
        case sendReminders = "send-reminders"

        /// Whether the task takes a month.
        var takesPeriod: Bool { self != .backUp && self != .sendReminders }
    }

    /// A month relative to the day the job runs, or a fixed one.
    public enum Period: Sendable, Equatable, CustomStringConvertible {
        case lastMonth, thisMonth, nextMonth
        case fixed(BillingPeriod)

        public init?(_ text: String) {
            switch text {
            case "last-month": self = .lastMonth
            case "this-month": self = .thisMonth
            case "next-month": self = .nextMonth
            default:
                guard let period = BillingPeriod(text) else { return nil }
                self = .fixed(period)
            }
        }

        /// The month on `today`.
        public func resolved(on today: CalendarDate) -> BillingPeriod {
            switch self {
            case .lastMonth: today.period.previous
            case .thisMonth: today.period
            case .nextMonth: today.period.next
            case .fixed(let period): period
            }
        }

        public var description: String {
            switch self {
            case .lastMonth: "last-month"
            case .thisMonth: "this-month"
            case .nextMonth: "next-month"
            case .fixed(let period): period.description
            }
        }
    }

    public var name: String
    public var description: String
    /// A systemd `OnCalendar=` expression; the job's timer unit carries the same one.
    public var schedule: String
    public var task: Task
    public var period: Period?
    /// Where the definition came from (a file, or the compiled-in defaults).
    public var file: String
}

/// The jobs: the compiled-in definitions (from `Jobs/`), or those in `paths.jobs` when set.
public struct JobCatalog: Sendable {
    /// The folder, or `nil` for the compiled-in definitions.
    public let directory: String?
    public let jobs: [JobDefinition]

    /// Reads every `*.toml` in `directory` (the compiled-in ones without it); any bad definition
    /// is a configuration error naming it.
    public init(directory: String?) throws(ConfigurationError) {
        self.directory = directory
        var sources: [(name: String, path: String, text: String?)] = []
        if let directory {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") }.sorted()
            } catch {
                throw .setting(name: "paths.jobs", message: "cannot read the jobs folder \(directory)")
            }
            sources = names.map { ($0, directory + "/" + $0, try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8)) }
        } else {
            sources = Defaults.jobs.keys.sorted().map { ($0, "(compiled-in) Jobs/" + $0, Defaults.jobs[$0]) }
        }
        var jobs: [JobDefinition] = []
        for source in sources {
            guard let text = source.text else { throw .unreadable(path: source.path, reason: "not readable UTF-8 text") }
            jobs.append(try Self.parse(text, name: source.name, path: source.path))
        }
        self.jobs = jobs
    }

    public func job(named name: String) -> JobDefinition? { jobs.first { $0.name == name } }

    /// Where the jobs come from, for messages.
    public var origin: String { directory ?? "the compiled-in jobs" }

    static func parse(_ text: String, name fileName: String, path: String) throws(ConfigurationError) -> JobDefinition {
        let table = try parseTOML(text, path: path)
        let allowed: Set<String> = ["name", "description", "schedule", "task", "period"]
        for key in table.keys.sorted() where !allowed.contains(key) { throw .unknownKey(path: path, key: key) }
        func required(_ key: String) throws(ConfigurationError) -> String {
            guard let value = table[key]?.string, !value.isEmpty else {
                throw .badValue(path: path, key: key, message: "a non-empty string is required")
            }
            return value
        }
        let name = try required("name")
        let stem = URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent
        guard name == stem else { throw .badValue(path: path, key: "name", message: "\(Quote.excerpt(name)) must equal the file name '\(stem)'") }
        let taskText = try required("task")
        guard let task = JobDefinition.Task(rawValue: taskText) else {
            let known = JobDefinition.Task.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badValue(path: path, key: "task", message: "\(Quote.excerpt(taskText)) is not a task (\(known))")
        }
        var period: JobDefinition.Period?
        if let text = table["period"]?.string {
            guard task.takesPeriod else { throw .badValue(path: path, key: "period", message: "\(task.rawValue) takes no month") }
            guard let parsed = JobDefinition.Period(text) else {
                throw .badValue(path: path, key: "period", message: "\(Quote.excerpt(text)) is not last-month, this-month, next-month or YYYY-MM")
            }
            period = parsed
        } else if table["period"] != nil {
            throw .badValue(path: path, key: "period", message: "a string is required")
        }
        return JobDefinition(
            name: name, description: try required("description"), schedule: try required("schedule"), task: task,
            period: period, file: path)
    }
}
