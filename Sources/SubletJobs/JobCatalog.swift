import Foundation
import TOMLKit

/// A named, re-runnable job declared in `Jobs/NAME.toml`: what it runs and when systemd starts it.
///
/// ```toml
/// name = "monthly-notices"
/// description = "Issue next month's rent notices"
/// schedule = "*-*-10 06:00:00 Europe/Stockholm"   # systemd OnCalendar
/// run = ["notices", "run"]                         # a sublet command line
/// ```
public struct JobDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    /// A systemd `OnCalendar=` expression; the job's timer unit carries the same one.
    public var schedule: String
    /// The `sublet` arguments the job runs (global options such as `--config` are passed on).
    public var run: [String]
    public var file: String
}

/// The jobs found in `paths.jobs`.
public struct JobCatalog: Sendable {
    public let directory: String
    public let jobs: [JobDefinition]

    /// Reads every `*.toml` in `directory`; any bad file is a configuration error naming it.
    public init(directory: String) throws(ConfigurationError) {
        self.directory = directory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") }.sorted()
        } catch {
            throw .setting(name: "paths.jobs", message: "cannot read the jobs folder \(directory)")
        }
        var jobs: [JobDefinition] = []
        for name in names {
            jobs.append(try Self.load(directory + "/" + name))
        }
        self.jobs = jobs
    }

    public func job(named name: String) -> JobDefinition? { jobs.first { $0.name == name } }

    static func load(_ path: String) throws(ConfigurationError) -> JobDefinition {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "not readable UTF-8 text")
        }
        let table = try parseTOML(text, path: path)
        let allowed: Set<String> = ["name", "description", "schedule", "run"]
        for key in table.keys where !allowed.contains(key) { throw .unknownKey(path: path, key: key) }
        func required(_ key: String) throws(ConfigurationError) -> String {
            guard let value = table[key]?.string, !value.isEmpty else {
                throw .badValue(path: path, key: key, message: "a non-empty string is required")
            }
            return value
        }
        let name = try required("name")
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard name == stem else { throw .badValue(path: path, key: "name", message: "'\(name)' must equal the file name '\(stem)'") }
        guard let array = table["run"]?.array, !array.isEmpty else {
            throw .badValue(path: path, key: "run", message: "a non-empty array of strings is required, e.g. [\"notices\", \"run\"]")
        }
        var run: [String] = []
        for element in array {
            guard let argument = element.string else {
                throw .badValue(path: path, key: "run", message: "every element must be a string")
            }
            run.append(argument)
        }
        return JobDefinition(name: name, description: try required("description"), schedule: try required("schedule"), run: run, file: path)
    }
}
