import Foundation
import SubletApp
import SubletStorage

/// A logged-in browser: an opaque random id (the cookie's value), the account, and the form token
/// every form of the session carries.
struct PortalSession: Sendable, Equatable {
    var accountID: Int64
    var csrf: String
    var expires: Date
}

/// The portal's sessions, in memory: a restart logs everyone out, which for a read-only portal
/// costs a login and keeps nothing to steal on disk.
actor SessionStore {
    private var sessions: [String: PortalSession] = [:]
    let lifetime: TimeInterval

    init(lifetime: TimeInterval) { self.lifetime = lifetime }

    /// A new session for `accountID` (a login): never an id the client chose; `previous`, the id
    /// the browser came with, is ended.
    func start(accountID: Int64, replacing previous: String?, now: Date) -> (id: String, session: PortalSession) {
        if let previous { sessions[previous] = nil }
        sessions = sessions.filter { $0.value.expires > now }
        let id = Secret.make()
        let session = PortalSession(accountID: accountID, csrf: Secret.make(), expires: now.addingTimeInterval(lifetime))
        sessions[id] = session
        return (id, session)
    }

    /// The live session with this id, or `nil` (unknown, or expired: then it is ended).
    func session(_ id: String, now: Date) -> PortalSession? {
        guard let session = sessions[id] else { return nil }
        guard session.expires > now else {
            sessions[id] = nil
            return nil
        }
        return session
    }

    func end(_ id: String) { sessions[id] = nil }

    var count: Int { sessions.count }
}

/// Failed logins per key (an account, an address): `limit` failures within `window` lock the key
/// until `window` after the last of them.
actor LoginLimiter {
    private var failures: [String: [Date]] = [:]
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// When the lock on `key` ends, if it is locked now.
    func lockedUntil(_ key: String, now: Date) -> Date? {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let last = recent.last else { return nil }
        return last.addingTimeInterval(window)
    }

    func fail(_ key: String, now: Date) { failures[key, default: []].append(now) }

    func succeed(_ key: String) { failures[key] = nil }
}

/// The districts' reports read back from their CSV files and rendered, kept while a file's size
/// and time are unchanged (`reports build` replaces a file by renaming a new one into place).
final class ReportCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (modified: Date, size: Int, body: String)] = [:]

    /// The rendered body of the report in the CSV at `path`: `render` makes it from the file's rows
    /// when the file is new or has changed.
    func body(at path: String, render: ([ReconciliationReports.StoredRow]) -> String) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let modified = attributes[.modificationDate] as? Date ?? .distantPast, size = attributes[.size] as? Int ?? -1
        if let entry = lock.withLock({ entries[path] }), entry.modified == modified, entry.size == size { return entry.body }
        let body = render(try ReconciliationReports.read(csv: try Data(contentsOf: URL(fileURLWithPath: path))))
        lock.withLock { entries[path] = (modified, size, body) }
        return body
    }
}
