import GRDB
import GRDBSQLite

/// Inserts rows through SQLite's C API, many rows per statement, for the bulk paths (import,
/// monthly run). GRDB's `StatementArguments` box every value and each statement execution has a
/// fixed cost (statement journal, cursors), which together outweigh SQLite's own work at
/// 100,000+ rows (docs/performance.md). Used only inside a GRDB write transaction.
///
/// Bind a row's values in column order, call `endRow()`, and `flush()` after the last row.
struct BulkInsert {
    enum Value: Sendable {
        case text(String)
        case integer(Int64)
        case null
    }

    /// Rows made ready anywhere (on another thread), for `append(row:of:)`: bind a row's values
    /// in column order, then `endRow()`.
    struct Rows: Sendable {
        let columns: Int
        private(set) var values: [Value] = []
        private(set) var count = 0

        init(columns: Int, capacity: Int = 0) {
            self.columns = columns
            values.reserveCapacity(columns * capacity)
        }

        mutating func bind(_ text: String) { values.append(.text(text)) }
        mutating func bind(_ text: String?) { values.append(text.map(Value.text) ?? .null) }
        mutating func bind(_ value: Int) { values.append(.integer(Int64(value))) }
        mutating func bind(_ value: Int64) { values.append(.integer(value)) }
        mutating func bind(_ value: Int64?) { values.append(value.map(Value.integer) ?? .null) }

        mutating func endRow() {
            count += 1
            precondition(values.count == count * columns, "bound \(values.count) values for \(count) rows of \(columns)")
        }

        func row(_ index: Int) -> ArraySlice<Value> { values[index * columns..<(index + 1) * columns] }
    }

    private let db: Database
    private let prefix: String
    private let rowPlaceholder: String
    private let columnCount: Int
    private let rowsPerStatement: Int?
    private var pending: [Value] = []
    private var last: (rows: Int, statement: Statement)?
    /// Rows bound and not yet run.
    private(set) var pendingRows = 0

    /// `INSERT INTO table (columns…)`, `rowsPerStatement` rows per execution (`nil`: only on `flush()`).
    init(_ db: Database, table: String, columns: [String], rowsPerStatement: Int? = 1) {
        self.db = db
        prefix = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        rowPlaceholder = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        columnCount = columns.count
        self.rowsPerStatement = rowsPerStatement
        pending.reserveCapacity(columns.count * (rowsPerStatement ?? 100))
    }

    mutating func bind(_ text: String) { pending.append(.text(text)) }
    mutating func bind(_ text: String?) { pending.append(text.map(Value.text) ?? .null) }
    mutating func bind(_ value: Int) { pending.append(.integer(Int64(value))) }
    mutating func bind(_ value: Int64) { pending.append(.integer(value)) }
    mutating func bind(_ value: Int?) { pending.append(value.map { .integer(Int64($0)) } ?? .null) }
    mutating func bind(_ value: Int64?) { pending.append(value.map(Value.integer) ?? .null) }
    mutating func bindNull() { pending.append(.null) }

    /// Adds row `index` of `rows` (made ready elsewhere) as one bound here, and ends it.
    mutating func append(row index: Int, of rows: Rows) throws {
        precondition(rows.columns == columnCount, "rows of \(rows.columns) columns for a table of \(columnCount)")
        pending.append(contentsOf: rows.row(index))
        try endRow()
    }

    /// Ends a row; runs the statement once `rowsPerStatement` rows are pending.
    mutating func endRow() throws {
        precondition(pending.count == (pendingRows + 1) * columnCount, "bound \(pending.count) values for \(pendingRows + 1) rows of \(columnCount)")
        pendingRows += 1
        if pendingRows == rowsPerStatement { try flush() }
    }

    /// Runs the pending rows.
    mutating func flush() throws {
        guard pendingRows > 0 else { return }
        // The statement for a full batch is kept: building its SQL and finding it in GRDB's cache
        // (hashing kilobytes of placeholders) cost as much as binding its values.
        let statement: Statement
        if let last, last.rows == pendingRows {
            statement = last.statement
        } else {
            statement = try db.cachedStatement(sql: prefix + Array(repeating: rowPlaceholder, count: pendingRows).joined(separator: ", "))
            last = (pendingRows, statement)
        }
        let handle = statement.sqliteStatement
        // The cached statement may come straight from a GRDB execution with the same SQL, stepped
        // but not reset: a bind would then fail (SQLITE_MISUSE) and the step run with no values.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in pending.enumerated() {
            let index = Int32(offset + 1)
            let code =
                switch value {
                case .text(let text): text.withCString { sqlite3_bind_text(handle, index, $0, -1, Self.transient) }
                case .integer(let number): sqlite3_bind_int64(handle, index, number)
                case .null: sqlite3_bind_null(handle, index)
                }
            guard code == SQLITE_OK else {
                pending.removeAll(keepingCapacity: true)
                pendingRows = 0
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
        }
        pending.removeAll(keepingCapacity: true)
        pendingRows = 0
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
