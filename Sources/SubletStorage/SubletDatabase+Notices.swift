import GRDB
import SubletDomain

/// What `notices run` is asked to do.
public struct NoticeRunRequest: Sendable {
    public var period: BillingPeriod
    public var issueDate: CalendarDate
    public var minimumDays: Int
    public var basis: ProrationBasis
    public var ocrLengthDigit: Bool
    public var dryRun: Bool

    public init(period: BillingPeriod, issueDate: CalendarDate, minimumDays: Int, basis: ProrationBasis, ocrLengthDigit: Bool, dryRun: Bool) {
        self.period = period
        self.issueDate = issueDate
        self.minimumDays = minimumDays
        self.basis = basis
        self.ocrLengthDigit = ocrLengthDigit
        self.dryRun = dryRun
    }
}

/// What `notices run` did (or, in a dry run, would do).
public struct NoticeRunReport: Sendable, Equatable {
    public var period: BillingPeriod
    public var issued: Int
    public var alreadyIssued: Int
    /// The amount issued by this run.
    public var total: Money
    public var dueDate: CalendarDate
    public var dryRun: Bool
    public var firstNumber: String?
    public var lastNumber: String?
}

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
    public func issueRegularNotices(_ request: NoticeRunRequest, context: ChangeContext) throws -> NoticeRunReport {
        let body = { (db: Database) throws -> NoticeRunReport in
            var run = try NoticeRun(db: db, request: request, context: context)
            try run.issueAll()
            if !request.dryRun {
                try run.saveCounters()
                if run.report.issued > 0 {
                    try audit(db, context: context, action: "notices.run", entity: "notices", key: request.period.description,
                              detail: "issued \(run.report.issued) notice(s), \(run.report.firstNumber ?? "")–\(run.report.lastNumber ?? ""), total \(run.report.total.plain), due \(run.report.dueDate)")
                }
            }
            return run.report
        }
        return request.dryRun ? try read(body) : try write(body)
    }

    /// Notices of a period (optionally one contract's), by number.
    public func notices(period: BillingPeriod? = nil, contractNumber: String? = nil) throws -> [Notice] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let period {
                conditions.append("n.period = ?")
                _ = arguments.append(contentsOf: [period.description])
            }
            if let contractNumber {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM contract WHERE number = ?", arguments: [contractNumber]) == true else {
                    throw StorageError.notFound("contract \(contractNumber)")
                }
                conditions.append("c.number = ?")
                _ = arguments.append(contentsOf: [contractNumber])
            }
            var documents: [Notice] = []
            try forEachNotice(db, where: conditions.joined(separator: " AND "), arguments: arguments) { documents.append($0.notice) }
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
    public func forEachNoticeDocument(period: BillingPeriod, _ body: (NoticeDocument) throws -> Void) throws {
        try read { db in try forEachNotice(db, where: "n.period = ?", arguments: [period.description], body) }
    }

    private func forEachNotice(_ db: Database, where condition: String, arguments: StatementArguments, _ body: (NoticeDocument) throws -> Void) throws {
        let whereClause = condition.isEmpty ? "" : "WHERE \(condition)"
        let notices = try Row.fetchCursor(db, sql: """
            SELECT n.id, n.number, n.period, n.kind, n.issueDate, n.dueDate, n.ocr, n.total,
                   c.number AS contractNumber, c.districtCode, c.tenantName, c.address, c.objectId
            FROM notice n JOIN contract c ON c.id = n.contractId
            \(whereClause)
            ORDER BY n.id
            """, arguments: arguments)
        let lines = try db.cachedStatement(sql: """
            SELECT l.text, l.amount, l.component, l.vatRate, l.vatAmount, l.correctsPeriod, o.number AS correctsNotice
            FROM noticeLine l LEFT JOIN notice o ON o.id = l.correctsNoticeId
            WHERE l.noticeId = ? ORDER BY l.position
            """)
        while let row = try notices.next() {
            let noticeLines = try Row.fetchAll(lines, arguments: [row["id"] as Int64]).map { line in
                NoticeLine(
                    text: line["text"], amount: Money(ore: line["amount"]), component: line["component"],
                    vatRate: line["vatRate"], vatAmount: Money(ore: line["vatAmount"]),
                    correctsPeriod: (line["correctsPeriod"] as String?).flatMap(BillingPeriod.init),
                    correctsNotice: line["correctsNotice"]
                )
            }
            let notice = Notice(
                number: row["number"], contractNumber: row["contractNumber"], period: BillingPeriod(row["period"] as String)!,
                kind: Notice.Kind(rawValue: row["kind"])!, issueDate: CalendarDate(row["issueDate"] as String)!,
                dueDate: CalendarDate(row["dueDate"] as String)!, ocr: row["ocr"], total: Money(ore: row["total"]), lines: noticeLines
            )
            try body(NoticeDocument(notice: notice, district: row["districtCode"], tenantName: row["tenantName"],
                                    address: row["address"], objectID: row["objectId"]))
        }
    }
}

/// One run of the monthly job inside one transaction: reads contracts in batches, plans each
/// notice with `NoticePlanner`, and writes lines then notice with prepared statements.
struct NoticeRun {
    let db: Database
    let request: NoticeRunRequest
    let context: ChangeContext
    private(set) var report: NoticeRunReport
    private var nextNoticeID: Int64
    private var serial: Int
    private let serialName: String
    private static let batchSize = 4000

    init(db: Database, request: NoticeRunRequest, context: ChangeContext) throws {
        self.db = db
        self.request = request
        self.context = context
        let already = try Int.fetchOne(db, sql: "SELECT count(*) FROM notice WHERE period = ? AND kind = 'regular'",
                                       arguments: [request.period.description]) ?? 0
        let dueDate = DueDateRule.regularNotice(for: request.period, issuedOn: request.issueDate, minimumDays: request.minimumDays)
        report = NoticeRunReport(period: request.period, issued: 0, alreadyIssued: already, total: .zero, dueDate: dueDate, dryRun: request.dryRun)
        nextNoticeID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM notice") ?? 0) + 1
        serialName = "notice-\(request.issueDate.year)"
        serial = try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = ?", arguments: [serialName]) ?? 0
    }

    mutating func issueAll() throws {
        let period = request.period
        let contracts = try db.cachedStatement(sql: """
            SELECT c.id, c.startDate, c.endDate FROM contract c
            WHERE c.id > ? AND c.startDate <= ? AND (c.endDate IS NULL OR c.endDate >= ?)
              AND NOT EXISTS (SELECT 1 FROM notice n WHERE n.contractId = c.id AND n.period = ? AND n.kind = 'regular')
            ORDER BY c.id LIMIT ?
            """)
        let steps = try db.cachedStatement(sql: """
            SELECT contractId, component, validFrom, amount, vatRate FROM contractTerm
            WHERE contractId BETWEEN ? AND ? ORDER BY contractId
            """)
        // Lines first, then their notice: the notice seals its lines (see Schema).
        var insertLine = BulkInsert(db, table: "noticeLine", columns: [
            "noticeId", "position", "text", "amount", "component", "vatRate", "vatAmount", "correctsPeriod", "correctsNoticeId",
        ], rowsPerStatement: 100)
        var insertNotice = BulkInsert(db, table: "notice", columns: [
            "id", "number", "contractId", "period", "kind", "issueDate", "dueDate", "ocr", "total", "createdAt", "createdBy",
        ], rowsPerStatement: nil)
        let periodText = period.description
        let issueText = request.issueDate.description
        let dueText = report.dueDate.description
        let createdAt = context.timestamp
        var lastID: Int64 = 0
        while true {
            let batch = try Row.fetchAll(contracts, arguments: [lastID, period.lastDay.description, period.firstDay.description, periodText, Self.batchSize])
            guard let first = batch.first, let last = batch.last else { break }
            lastID = last[0]
            var termsByContract: [Int64: [TermStep]] = [:]
            let cursor = try Row.fetchCursor(steps, arguments: [first[0] as Int64, lastID])
            while let row = try cursor.next() {
                let amount: Int? = row[3]
                termsByContract[row[0], default: []].append(TermStep(
                    component: row[1], validFrom: CalendarDate(row[2] as String)!, amount: amount.map(Money.init(ore:)), vatRate: row[4]
                ))
            }
            for row in batch {
                let contractID: Int64 = row[0]
                let endText: String? = row[2]
                let terms = ContractTerms(start: CalendarDate(row[1] as String)!, end: endText.flatMap(CalendarDate.init),
                                          steps: termsByContract[contractID] ?? [])
                guard let lines = NoticePlanner.regularLines(for: terms, period: period, basis: request.basis) else { continue }
                let total = lines.map(\.amount).sum()
                serial += 1
                let number = "\(request.issueDate.year)-" + String(serial).zeroPadded(to: 6)
                let ocr = OCRReference.make(base: "1" + String(nextNoticeID).zeroPadded(to: 8), lengthDigit: request.ocrLengthDigit)
                if !request.dryRun {
                    for (position, line) in lines.enumerated() {
                        insertLine.bind(nextNoticeID)
                        insertLine.bind(position + 1)
                        insertLine.bind(line.text)
                        insertLine.bind(line.amount.ore)
                        insertLine.bind(line.component)
                        insertLine.bind(line.vatRate)
                        insertLine.bind(line.vatAmount.ore)
                        insertLine.bind(line.correctsPeriod?.description)
                        insertLine.bindNull()
                        try insertLine.endRow()
                    }
                    insertNotice.bind(nextNoticeID)
                    insertNotice.bind(number)
                    insertNotice.bind(contractID)
                    insertNotice.bind(periodText)
                    insertNotice.bind("regular")
                    insertNotice.bind(issueText)
                    insertNotice.bind(dueText)
                    insertNotice.bind(ocr)
                    insertNotice.bind(total.ore)
                    insertNotice.bind(createdAt)
                    insertNotice.bind(context.actor)
                    try insertNotice.endRow()
                    if insertNotice.pendingRows == 100 {
                        try insertLine.flush()
                        try insertNotice.flush()
                    }
                }
                nextNoticeID += 1
                report.issued += 1
                report.total += total
                if report.firstNumber == nil { report.firstNumber = number }
                report.lastNumber = number
            }
            // Each batch's lines go in before its notices.
            try insertLine.flush()
            try insertNotice.flush()
        }
    }

    func saveCounters() throws {
        try db.execute(
            sql: "INSERT INTO counter (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            arguments: [serialName, serial]
        )
    }
}
