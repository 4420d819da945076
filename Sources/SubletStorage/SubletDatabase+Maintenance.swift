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
    /// Protective triggers missing or not as the schema writes them (a dropped trigger would let
    /// consistent tampering pass every other check).
    public var triggerProblems: [String]
    public var schemaVersion: String
    public var isHealthy: Bool { integrityProblems.isEmpty && foreignKeyProblems.isEmpty && totalProblems.isEmpty && triggerProblems.isEmpty }
}

extension SubletDatabase {
    /// Writes an online, consistent copy to `destination` (SQLite's backup API, while other
    /// processes keep using the database). The copy is written beside the destination and renamed
    /// into place, with mode 0600, in rollback-journal mode: one self-contained file that can be
    /// checked where it lies, read-only media included (a restored copy is WAL again once opened).
    /// The caller decides whether `destination` may be replaced.
    public func backup(to destination: String) throws {
        let temporary = destination + ".partial-\(getpid())"
        defer { unlink(temporary) }
        let descriptor = Foundation.open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StorageError.cannotWrite(path: destination, reason: String(cString: strerror(errno))) }
        close(descriptor)
        do {
            let copy = try DatabaseQueue(path: temporary)
            try writer.backup(to: copy)
            try copy.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
        } catch let error as DatabaseError {
            throw StorageError.cannotWrite(path: destination, reason: StorageError.reason(error))
        }
        if rename(temporary, destination) != 0 {
            throw StorageError.cannotWrite(path: destination, reason: String(cString: strerror(errno)))
        }
    }

    /// Runs SQLite's integrity and foreign-key checks.
    public func check() throws -> DatabaseCheck {
        try read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                let table: String? = try row.value("table", in: "foreign_key_check")
                let id: Int64? = try row.value("rowid", in: "foreign_key_check")
                let parent: String? = try row.value("parent", in: "foreign_key_check")
                return "\(table ?? "?") row \(id ?? 0) → \(parent ?? "?")"
            }
            let totals =
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT n.number, n.total, coalesce(sum(l.amount), 0) AS lines
                        FROM notice n LEFT JOIN noticeLine l ON l.noticeId = n.id
                        GROUP BY n.id HAVING n.total IS NOT coalesce(sum(l.amount), 0)
                        """
                ).map { row in
                    let number: String = try row.value("number", in: "notice")
                    let total: Int = try row.value("total", in: "notice"), lines: Int = try row.value("lines", in: "notice")
                    return "notice \(number): total \(total) öre, lines \(lines) öre"
                } + Schema.tallyProblems(db) + Schema.searchProblems(db)
            let present = try Schema.triggers(in: db)
            var triggers: [String] = []
            for (name, sql) in Schema.expectedTriggers.sorted(by: { $0.key < $1.key }) {
                if let found = present[name] {
                    if found != sql { triggers.append("trigger \(name) is not as the schema writes it") }
                } else {
                    triggers.append("trigger \(name) is missing")
                }
            }
            for name in present.keys.sorted() where Schema.expectedTriggers[name] == nil {
                triggers.append("trigger \(name) is not part of Sublet's schema")
            }
            return DatabaseCheck(
                integrityProblems: integrity, foreignKeyProblems: foreignKeys, totalProblems: totals,
                triggerProblems: triggers, schemaVersion: Self.schemaVersion)
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
