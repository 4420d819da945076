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

    /// Rows made ready anywhere (on another thread), for `insert(_:)`: bind a row's values
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

    /// Ends a row; runs the statement once `rowsPerStatement` rows are pending.
    mutating func endRow() throws {
        precondition(pending.count == (pendingRows + 1) * columnCount, "bound \(pending.count) values for \(pendingRows + 1) rows of \(columnCount)")
        pendingRows += 1
        if pendingRows == rowsPerStatement { try flush() }
    }

    /// Runs the pending rows.
    mutating func flush() throws {
        guard pendingRows > 0 else { return }
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingRows = 0
        }
        try run(pending[...], rows: pendingRows)
    }

    /// Inserts every row of `rows` (made ready elsewhere), after the pending ones, binding their
    /// values where they are: `rowsPerStatement` (or 100) rows per execution.
    mutating func insert(_ rows: Rows) throws {
        precondition(rows.columns == columnCount, "rows of \(rows.columns) columns for a table of \(columnCount)")
        try flush()
        let batch = rowsPerStatement ?? 100
        var first = 0
        while first < rows.count {
            let count = min(batch, rows.count - first)
            try run(rows.values[first * columnCount..<(first + count) * columnCount], rows: count)
            first += count
        }
    }

    /// Runs one statement of `rows` rows with `values`.
    private mutating func run(_ values: ArraySlice<Value>, rows: Int) throws {
        // The statement for a full batch is kept: building its SQL and finding it in GRDB's cache
        // (hashing kilobytes of placeholders) cost as much as binding its values.
        let statement: Statement
        if let last, last.rows == rows {
            statement = last.statement
        } else {
            statement = try db.cachedStatement(sql: prefix + Array(repeating: rowPlaceholder, count: rows).joined(separator: ", "))
            if rows >= last?.rows ?? 0 { last = (rows, statement) }
        }
        let handle = statement.sqliteStatement
        // The cached statement may come straight from a GRDB execution with the same SQL, stepped
        // but not reset: a bind would then fail (SQLITE_MISUSE) and the step run with no values.
        // Every parameter is bound below, so none is left from the last execution.
        sqlite3_reset(handle)
        var index: Int32 = 0
        for value in values {
            index += 1
            let code =
                switch value {
                case .text(var text):
                    // With its length, so that SQLite need not look for the terminating zero.
                    text.withUTF8 { utf8 in
                        guard let base = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
                        return sqlite3_bind_text(handle, index, base, Int32(utf8.count), Self.transient)
                    }
                case .integer(let number): sqlite3_bind_int64(handle, index, number)
                case .null: sqlite3_bind_null(handle, index)
                }
            guard code == SQLITE_OK else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
