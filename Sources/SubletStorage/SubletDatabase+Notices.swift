import GRDB
import SubletDomain

/// A notice with the contract details the print house needs.
public struct NoticeDocument: Sendable, Equatable {
    public var notice: Notice
    public var district: String
    public var tenantName: String
    public var address: String
    public var objectID: String?
}

extension SubletDatabase {
    /// Issues the regular notice of `request.period` for every contract active in it that has
    /// none yet. Idempotent: a second run issues nothing. A dry run writes nothing.
    /// `progress` hears (contracts gone through, contracts in the register) as the run goes.
    public func issueRegularNotices(
        _ request: NoticeRunRequest, context: ChangeContext, progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) throws -> NoticeRunReport {
        let request = try request.validated()
        let body = { (db: Database) throws -> NoticeRunReport in
            var run = try NoticeRun(db: db, request: request, context: context)
            run.progress = progress
            try run.issueAll()
            if !request.dryRun {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO noticeRun (period, firstRunAt, firstRunBy) VALUES (?, ?, ?)",
                    arguments: [request.period.description, context.timestamp, context.actor])
                if run.report.issued > 0 || run.report.refunds > 0 {
                    try audit(
                        db, context: context, action: "notices.run", entity: "notices", key: request.period.description,
                        detail:
                            "issued \(run.report.issued) notice(s), \(run.report.firstNumber ?? "")–\(run.report.lastNumber ?? ""), total \(run.report.total.plain), due \(run.report.dueDate); \(run.report.correctionLines) correction line(s), \(run.report.correctionNotices) correction notice(s), \(run.report.refunds) refund(s) \(run.report.refundTotal.plain)"
                    )
                }
            }
            return run.report
        }
        return request.dryRun ? try read(body) : try write(body)
    }

    /// Notices of a period (optionally one contract's), by number.
    public func notices(period: BillingPeriod? = nil, contractNumber: String? = nil) throws -> [Notice] {
        try read { db in
            var filter = QueryFilter()
            if let period { filter.add("n.period = ?", period.description) }
            if let contractNumber {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM contract WHERE number = ?", arguments: [contractNumber]) == true else {
                    throw StorageError.notFound("contract \(contractNumber)")
                }
                // Through the two indexes on a contract's notices (regular, correction): see Schema+Tallies.
                filter.add(
                    """
                    n.id IN (SELECT id FROM notice WHERE kind = 'regular' AND contractId = (SELECT id FROM contract WHERE number = ?)
                             UNION ALL
                             SELECT id FROM notice WHERE kind = 'correction' AND contractId = (SELECT id FROM contract WHERE number = ?))
                    """, contractNumber, contractNumber)
            }
            var documents: [Notice] = []
            try forEachNotice(db, where: filter.condition, arguments: filter.arguments) { documents.append($0.notice) }
            return documents
        }
    }

    /// The notice with `number`, with its lines.
    public func notice(number: String) throws -> NoticeDocument {
        try read { db in
            var found: NoticeDocument?
            try forEachNotice(db, where: "n.number = ?", arguments: [number]) { found = $0 }
            guard let found else { throw StorageError.notFound("notice \(number)") }
            return found
        }
    }

    /// Calls `body` with every notice of `period`, by number, from one consistent snapshot.
    /// How many notices `period` has (regular and correction notices).
    public func noticeCount(period: BillingPeriod) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM notice WHERE period = ?", arguments: [period.description]) ?? 0 }
    }

    public func forEachNoticeDocument(period: BillingPeriod, _ body: (NoticeDocument) throws -> Void) throws {
        try read { db in try forEachNotice(db, where: "n.period = ?", arguments: [period.description], body) }
    }

    private func forEachNotice(_ db: Database, where condition: String, arguments: StatementArguments, _ body: (NoticeDocument) throws -> Void) throws
    {
        let whereClause = condition.isEmpty ? "" : "WHERE \(condition)"
        let notices = try Row.fetchCursor(
            db,
            sql: """
                SELECT n.id, n.number, n.period, n.kind, n.issueDate, n.dueDate, n.ocr, n.total,
                       c.number AS contractNumber, c.districtCode, c.tenantName, c.address, c.objectId
                FROM notice n JOIN contract c ON c.id = n.contractId
                \(whereClause)
                ORDER BY n.id
                """, arguments: arguments)
        let lines = try db.cachedStatement(
            sql: """
                SELECT l.text, l.amount, l.component, l.vatRate, l.vatAmount, l.correctsPeriod, o.number AS correctsNotice
                FROM noticeLine l LEFT JOIN notice o ON o.id = l.correctsNoticeId
                WHERE l.noticeId = ? ORDER BY l.position
                """)
        while let row = try notices.next() {
            let noticeLines = try Row.fetchAll(lines, arguments: [try row.value("id", in: "notice") as Int64]).map { line in
                NoticeLine(
                    text: try line.value("text", in: "noticeLine"), amount: try line.value("amount", in: "noticeLine"),
                    component: try line.value("component", in: "noticeLine"),
                    vatRate: try line.value("vatRate", in: "noticeLine"), vatAmount: try line.value("vatAmount", in: "noticeLine"),
                    correctsPeriod: try line.value("correctsPeriod", in: "noticeLine"),
                    correctsNotice: try line.value("correctsNotice", in: "noticeLine")
                )
            }
            let notice = Notice(
                number: try row.value("number", in: "notice"), contractNumber: try row.value("contractNumber", in: "notice"),
                period: try row.value("period", in: "notice"),
                kind: try row.value("kind", in: "notice"), issueDate: try row.value("issueDate", in: "notice"),
                dueDate: try row.value("dueDate", in: "notice"), ocr: try row.value("ocr", in: "notice"), total: try row.value("total", in: "notice"),
                lines: noticeLines
            )
            try body(
                NoticeDocument(
                    notice: notice, district: try row.value("districtCode", in: "notice"), tenantName: try row.value("tenantName", in: "notice"),
                    address: try row.value("address", in: "notice"), objectID: try row.value("objectId", in: "notice")))
        }
    }
}
