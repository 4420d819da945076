import GRDB
import GRDBSQLite
import SubletDomain

/// Reads the rows of a SELECT straight from SQLite's columns, for the loads that hold a whole
/// register in memory (payment import). GRDB's `Row` boxes every value and looks its type up per
/// column, which costs several times SQLite's own work at 100,000 rows (docs/performance.md).
/// A value that is not what the schema promises is the same error as `Row.value(at:_:in:)`.
struct ColumnReader {
    private let handle: OpaquePointer
    private let table: String

    /// Steps `statement` with `arguments`, calling `body` once per row.
    static func forEachRow(
        _ statement: Statement, arguments: StatementArguments = [], table: String, _ body: (ColumnReader) throws -> Void
    ) throws {
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        let reader = ColumnReader(handle: handle, table: table)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                    sql: statement.sql)
            }
            try body(reader)
        }
    }

    func int64(_ index: Int32, _ column: String) throws -> Int64 {
        guard sqlite3_column_type(handle, index) == SQLITE_INTEGER else { throw bad(index, column) }
        return sqlite3_column_int64(handle, index)
    }

    func string(_ index: Int32, _ column: String) throws -> String {
        guard let text = optionalString(index) else { throw bad(index, column) }
        return text
    }

    func optionalString(_ index: Int32) -> String? {
        guard sqlite3_column_type(handle, index) == SQLITE_TEXT, let bytes = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func date(_ index: Int32, _ column: String) throws -> CalendarDate {
        guard let date = try optionalDate(index, column) else { throw bad(index, column) }
        return date
    }

    /// NULL is `nil`; text that is not a date is an error.
    func optionalDate(_ index: Int32, _ column: String) throws -> CalendarDate? {
        guard let text = optionalString(index) else {
            if sqlite3_column_type(handle, index) == SQLITE_NULL { return nil }
            throw bad(index, column)
        }
        guard let date = CalendarDate(text) else { throw bad(index, column) }
        return date
    }

    private func bad(_ index: Int32, _ column: String) -> StorageError {
        let value: String =
            switch sqlite3_column_type(handle, index) {
            case SQLITE_NULL: "NULL"
            case SQLITE_INTEGER: String(sqlite3_column_int64(handle, index))
            default: optionalString(index) ?? "a non-text value"
            }
        return StorageError.badStoredValue(table: table, row: "id \(sqlite3_column_int64(handle, 0))", column: column, value: value)
    }
}
