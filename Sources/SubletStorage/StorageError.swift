import Foundation
import GRDB
import GRDBSQLite
import SubletDomain

/// What went wrong with the database, said so that an operator knows what to do.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    /// There is no database file at the path.
    case missing(path: String)
    /// SQLite could not open or read the file.
    case cannotOpen(path: String, reason: String)
    /// The file was written by a newer Sublet.
    case newerSchema(path: String)
    /// The file needs `sublet init` to migrate it forward.
    case olderSchema(path: String, pending: [String])
    /// Another process held the database longer than the busy timeout.
    case busy(path: String)
    /// A named record does not exist.
    case notFound(String)
    /// The operation breaks a rule of the register (duplicate key, unknown district, …).
    case rejected(String)
    /// Any other SQLite failure.
    case sqlite(path: String, message: String)
    /// A copy (a backup) could not be written.
    case cannotWrite(path: String, reason: String)
    /// A stored value is not what the schema promises (the file was edited outside Sublet, or
    /// damaged): the operation stops, naming where.
    case badStoredValue(table: String, row: String, column: String, value: String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no Sublet database at \(path). Create it with `sublet init`, or point --db / SUBLET_DB / paths.database at the right file."
        case .cannotOpen(let path, let reason):
            "cannot open the database at \(path): \(reason). Check the path and the file's permissions."
        case .newerSchema(let path):
            "the database at \(path) was written by a newer version of Sublet; this binary cannot use it. Install the newer sublet."
        case .olderSchema(let path, let pending):
            "the database at \(path) needs migrating (\(pending.joined(separator: ", "))). Back it up with `sublet db backup`, then run `sublet init`."
        case .busy(let path):
            "the database at \(path) is busy (another sublet process is writing). Nothing was changed; try again."
        case .notFound(let what):
            "\(what) does not exist"
        case .rejected(let message):
            message
        case .sqlite(let path, let message):
            "database error in \(path): \(message)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason). Nothing was written there; free some space or choose another place."
        case .badStoredValue(let table, let row, let column, let value):
            "the database holds a bad value in table \(table), row \(row), column \(column): \(value). Nothing was changed; run `sublet db check` and restore the latest backup if it fails."
        }
    }
}

extension StorageError {
    /// Wraps a GRDB or SQLite error with the path and a remedy.
    static func wrapping(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StorageError.busy(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_NOTADB, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_CORRUPT:
            return StorageError.cannotOpen(path: path, reason: reason(error))
        case .SQLITE_CONSTRAINT:
            return StorageError.rejected(error.message ?? "a database constraint was violated")
        default: return StorageError.sqlite(path: path, message: reason(error))
        }
    }

    /// SQLite's message, or the words for its result code when the message belongs to another
    /// connection ("not an error", as a failed backup step reports it).
    static func reason(_ error: DatabaseError) -> String {
        if let message = error.message, message != "not an error", !message.isEmpty { return message }
        return String(cString: sqlite3_errstr(error.resultCode.rawValue))
    }
}

extension StorageError: CategorizedError {
    public var category: ErrorCategory {
        switch self {
        case .missing, .cannotOpen: .missingInput
        case .busy: .busy
        case .newerSchema, .olderSchema: .configuration
        case .notFound, .rejected, .badStoredValue: .invalidInput
        case .cannotWrite: .cannotWrite
        case .sqlite: .failure
        }
    }
}
