import Foundation
import SubletDomain

/// What `sublet config check` finds wrong with a configuration before it is put to work: a
/// setting that would send real notices with the wrong payee, a folder the running user cannot
/// write, a database others can read. `notices run`, `payments import`, the jobs and the daemon
/// refuse to start on any of them (exit 78).
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The key (or option) at fault.
    public var key: String
    public var problem: String
    /// What to do about it.
    public var fix: String

    public var description: String { "\(key): \(problem); \(fix)" }
}

extension ConfigurationError {
    /// Every problem `config check` found, one per line.
    public static func unsafe(_ problems: [ConfigurationProblem]) -> ConfigurationError {
        .setting(
            name: "check", message: "refusing to go on:\n" + problems.map { "  " + $0.description }.joined(separator: "\n"))
    }
}

extension SubletApp {
    /// The folders a use needs to write. Under systemd each unit can write only what its
    /// `ReadWritePaths=` names (the jobs not the spool, the daemon not the backups), so each
    /// checks its own; `config check` checks them all.
    public enum FolderNeeds: Sendable {
        case all
        /// The database's folder and the outbox: the monthly run, payments, reminders.
        case databaseAndOutbox
        /// Those and the inbox, archive and rejected folders: `subletd`.
        case daemon

        func includes(_ key: String) -> Bool {
            switch self {
            case .all: true
            case .databaseAndOutbox: !["paths.backups", "paths.inbox", "paths.archive", "paths.rejected"].contains(key)
            case .daemon: key != "paths.backups"
            }
        }
    }

    /// The problems `config check` reports, in key order; empty when the configuration is safe.
    public func configurationProblems(folders needs: FolderNeeds = .all) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        let file = settings.source ?? Settings.systemPath
        if settings.payee.bankgiro == .example {
            problems.append(
                ConfigurationProblem(
                    key: "payee.bankgiro",
                    problem: settings.fileKeys.contains("payee.bankgiro")
                        ? "5050-1055 is Bankgirot's example number, not the city's" : "not set (the default is Bankgirot's example number 5050-1055)",
                    fix: "set payee.bankgiro in \(file) to the bankgiro tenants pay to"))
        }
        let user = Self.userName
        let folders: [(String, String)] = [
            (databaseKey, URL(fileURLWithPath: databasePath).deletingLastPathComponent().path),
            ("paths.outbox", settings.paths.outbox), ("paths.backups", settings.paths.backups), ("paths.inbox", settings.paths.inbox),
            ("paths.archive", settings.paths.archive), ("paths.rejected", settings.paths.rejected),
        ]
        for (key, folder) in folders where needs.includes(key) {
            if let problem = Self.writeProblem(folder) {
                problems.append(
                    ConfigurationProblem(
                        key: key, problem: "\(folder) \(problem)",
                        fix: "make it writable by \(user) (docs/operations.md) or point \(key) at a folder that is"))
            }
        }
        var status = stat()
        if stat(databasePath, &status) == 0 {
            if status.st_mode & 0o007 != 0 {
                problems.append(
                    ConfigurationProblem(
                        key: databaseKey, problem: "\(databasePath) can be read by others (mode \(String(status.st_mode & 0o777, radix: 8)))",
                        fix: "chmod 600 \(databasePath)"))
            }
            if access(databasePath, W_OK) != 0 {
                problems.append(
                    ConfigurationProblem(
                        key: databaseKey, problem: "\(databasePath) is not writable by \(user)", fix: "chown \(user) \(databasePath)"))
            }
        }
        return problems
    }

    /// Throws every problem `configurationProblems()` finds (exit 78), before work that would go
    /// wrong with them: issuing notices, importing payments, the jobs, the daemon.
    public func requireSafeConfiguration(folders needs: FolderNeeds = .all) throws(ConfigurationError) {
        let problems = configurationProblems(folders: needs)
        guard problems.isEmpty else { throw .unsafe(problems) }
    }

    /// The key that chose the database: `--db`, `$SUBLET_DB`, or `paths.database`.
    var databaseKey: String {
        switch settings.databaseOverride {
        case .flag: "--db"
        case .environment: "SUBLET_DB"
        default: "paths.database"
        }
    }

    static var userName: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }

    /// Why the running user could not create files in `folder` (or in the folder above it that
    /// exists, where Sublet would create it), or `nil`.
    static func writeProblem(_ folder: String) -> String? {
        var path = URL(fileURLWithPath: folder).standardizedFileURL.path
        var missing = false
        while true {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
                guard isFolder.boolValue else { return missing ? "cannot be created: \(path) is a file" : "is a file, not a folder" }
                guard access(path, W_OK | X_OK) == 0 else { return missing ? "cannot be created in \(path) (not writable)" : "is not writable" }
                return nil
            }
            missing = true
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard parent != path else { return "has no folder above it" }
            path = parent
        }
    }
}
