import Foundation
import GRDB

/// The result of `sublet db check`.
public struct DatabaseCheck: Sendable, Equatable {
    /// `PRAGMA integrity_check` messages other than "ok".
    public var integrityProblems: [String]
    /// Rows whose foreign key points nowhere (`PRAGMA foreign_key_check`).
    public var foreignKeyProblems: [String]
    /// Notices whose total is not the sum of their lines (checked here rather than by a trigger
    /// on every insert, which would cost the monthly run a third of its time).
    public var totalProblems: [String]
    public var schemaVersion: String
    public var isHealthy: Bool { integrityProblems.isEmpty && foreignKeyProblems.isEmpty && totalProblems.isEmpty }
}

extension SubletDatabase {
    /// Writes an online, consistent copy to `destination` (SQLite's backup API, while other
    /// processes keep using the database). The copy is written beside the destination and renamed
    /// into place, with mode 0600.
    public func backup(to destination: String) throws {
        let temporary = destination + ".partial-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StorageError.cannotOpen(path: temporary, reason: "cannot create the backup file")
        }
        try guarded {
            let copy = try DatabaseQueue(path: temporary)
            try writer.backup(to: copy)
            try copy.close()
        }
        if rename(temporary, destination) != 0 {
            throw StorageError.cannotOpen(path: destination, reason: String(cString: strerror(errno)))
        }
    }

    /// Runs SQLite's integrity and foreign-key checks.
    public func check() throws -> DatabaseCheck {
        try read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                "\(row[0] as String? ?? "?") row \(row[1] as Int64? ?? 0) → \(row[2] as String? ?? "?")"
            }
            let totals = try Row.fetchAll(db, sql: """
                SELECT n.number, n.total, coalesce(sum(l.amount), 0) AS lines
                FROM notice n LEFT JOIN noticeLine l ON l.noticeId = n.id
                GROUP BY n.id HAVING n.total IS NOT coalesce(sum(l.amount), 0)
                """).map { row in "notice \(row["number"] as String): total \(row["total"] as Int) öre, lines \(row["lines"] as Int) öre" }
            return DatabaseCheck(integrityProblems: integrity, foreignKeyProblems: foreignKeys, totalProblems: totals, schemaVersion: Self.schemaVersion)
        }
    }

    /// Row counts of the main tables, for summaries.
    public func counts() throws -> [String: Int] {
        try read { db in
            var result: [String: Int] = [:]
            for table in ["district", "contract", "notice", "noticeLine", "auditLog"] {
                result[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return result
        }
    }
}
