import GRDB
import SubletDomain

// Reads and writes several stores share: number series, price steps, closed months.

extension SubletDatabase {
    /// Where `series` stands: its stored counter (the last number issued; 0 before the first).
    static func numbering(_ db: Database, _ series: NumberSeries) throws -> DocumentNumbering {
        let last = try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM counter WHERE name = ?"), arguments: [series.counterName]) ?? 0
        return DocumentNumbering(series: series, last: last)
    }

    /// Saves where `numbering` stands (never backwards: a trigger refuses that).
    static func save(_ numbering: DocumentNumbering, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO counter (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
            .execute(arguments: [numbering.series.counterName, numbering.last])
    }

    /// Writes a refund document (money owed back to a tenant) and returns its row id: the monthly
    /// run's correction refunds and payments' overpayments alike.
    static func insertRefund(
        _ refund: RefundDraft, period: BillingPeriod, createdOn: CalendarDate, context: ChangeContext, _ db: Database
    ) throws -> Int64 {
        try db.cachedStatement(
            sql: "INSERT INTO refund (number, contractId, amount, period, createdOn, createdAt, noticeId, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            refund.number, refund.contractID, refund.amount, period, createdOn, context.timestamp, refund.noticeID, refund.text,
        ])
        return db.lastInsertedRowID
    }

    /// The next number of `series`, saved at once (for one document at a time).
    static func nextNumber(_ db: Database, _ series: NumberSeries) throws -> String {
        var numbering = try numbering(db, series)
        let number = numbering.next()
        try save(numbering, db)
        return number
    }

    /// The price steps of the contracts with ids in `range` (all, when `nil`), by contract id.
    static func termSteps(_ db: Database, contractIDs range: ClosedRange<Int64>?) throws -> [Int64: [TermStep]] {
        var sql = "SELECT \(TermStepRecord.columns) FROM contractTerm"
        var arguments: StatementArguments = []
        if let range {
            sql += " WHERE contractId BETWEEN ? AND ?"
            arguments = [range.lowerBound, range.upperBound]
        }
        return try collect(TermStepRecord.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments))
    }

    /// The price steps of the contracts `filter` selects, by contract id.
    static func termSteps(_ db: Database, contractsWhere filter: QueryFilter) throws -> [Int64: [TermStep]] {
        guard !filter.isEmpty else { return try termSteps(db, contractIDs: nil) }
        let sql =
            "SELECT \(TermStepRecord.columns) FROM contractTerm WHERE contractId IN (SELECT id FROM contract \(filter.whereClause))"
        return try collect(TermStepRecord.fetchCursor(db, sql: sql, arguments: filter.arguments))
    }

    private static func collect(_ cursor: RecordCursor<TermStepRecord>) throws -> [Int64: [TermStep]] {
        var result: [Int64: [TermStep]] = [:]
        while let record = try cursor.next() { result[record.contractID, default: []].append(record.step) }
        return result
    }

    /// The contract's terms from its row (`startDate`, `endDate`) and its steps.
    static func terms(_ row: Row, steps: [TermStep]) throws -> ContractTerms {
        ContractTerms(start: try row.value("startDate", in: "contract"), end: try row.value("endDate", in: "contract"), steps: steps)
    }

    /// The months the monthly job has run for, oldest first.
    static func closedMonths(_ db: Database) throws -> [BillingPeriod] {
        try Row.fetchAll(db, sql: "SELECT period FROM noticeRun ORDER BY period").map { try $0.value("period", in: "noticeRun") }
    }
}
