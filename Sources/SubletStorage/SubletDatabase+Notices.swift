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
    /// Correction lines put on notices, and standalone correction notices among `issued`.
    public var correctionLines = 0
    public var correctionNotices = 0
    /// Regular notices of earlier, closed months for contracts registered after those months
    /// were run (among `issued`).
    public var catchUpNotices = 0
    /// Refunds recorded (credits larger than a notice, or corrections of ended contracts).
    public var refunds = 0
    public var refundTotal = Money.zero
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
                try db.execute(sql: "INSERT OR IGNORE INTO noticeRun (period, firstRunAt, firstRunBy) VALUES (?, ?, ?)",
                               arguments: [request.period.description, context.timestamp, context.actor])
                if run.report.issued > 0 || run.report.refunds > 0 {
                    try audit(db, context: context, action: "notices.run", entity: "notices", key: request.period.description,
                              detail: "issued \(run.report.issued) notice(s), \(run.report.firstNumber ?? "")–\(run.report.lastNumber ?? ""), total \(run.report.total.plain), due \(run.report.dueDate); \(run.report.correctionLines) correction line(s), \(run.report.correctionNotices) correction notice(s), \(run.report.refunds) refund(s) \(run.report.refundTotal.plain)")
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
                filter.add("c.number = ?", contractNumber)
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
/// notice with `NoticePlanner` and the pending corrections with `CorrectionBilling`, and writes
/// lines then notices, many rows per statement. Contracts that have ended get their pending
/// corrections as a correction notice or a refund.
struct NoticeRun {
    let db: Database
    let request: NoticeRunRequest
    let context: ChangeContext
    var report: NoticeRunReport
    private var nextNoticeID: Int64
    private var serial: Int
    private let serialName: String
    private var refundSerial: Int
    private let refundSerialName: String
    private var lines: BulkInsert
    private(set) var notices: BulkInsert
    /// Written after the notices they point at.
    private var settlements: [(correctionID: Int64, period: String, noticeID: Int64?, refundNumber: String?)] = []
    private var refunds: [(number: String, contractID: Int64, amount: Money, noticeID: Int64?, text: String)] = []
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
        refundSerialName = "refund-\(request.issueDate.year)"
        refundSerial = try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = ?", arguments: [refundSerialName]) ?? 0
        // Lines first, then their notice: the notice seals its lines (see Schema).
        lines = BulkInsert(db, table: "noticeLine", columns: [
            "noticeId", "position", "text", "amount", "component", "vatRate", "vatAmount", "correctsPeriod", "correctsNoticeId",
        ], rowsPerStatement: 100)
        notices = BulkInsert(db, table: "notice", columns: [
            "id", "number", "contractId", "period", "kind", "issueDate", "dueDate", "ocr", "total", "createdAt", "createdBy",
        ], rowsPerStatement: nil)
    }

    mutating func issueAll() throws {
        let period = request.period
        let contracts = try db.cachedStatement(sql: """
            SELECT c.id, c.startDate, c.endDate FROM contract c
            WHERE c.id > ? AND c.startDate <= ? AND (c.endDate IS NULL OR c.endDate >= ?)
              AND NOT EXISTS (SELECT 1 FROM notice n WHERE n.contractId = c.id AND n.period = ? AND n.kind = 'regular')
              -- A month already billed by a correction (a start moved earlier) gets no regular notice too.
              AND NOT EXISTS (SELECT 1 FROM correction k JOIN correctionMonth m ON m.correctionId = k.id
                              WHERE k.contractId = c.id AND m.period = ?)
            ORDER BY c.id LIMIT ?
            """)
        let steps = try db.cachedStatement(sql: """
            SELECT contractId, component, validFrom, amount, vatRate FROM contractTerm
            WHERE contractId BETWEEN ? AND ? ORDER BY contractId
            """)
        var lastID: Int64 = 0
        while true {
            let batch = try Row.fetchAll(contracts, arguments: [lastID, period.lastDay.description, period.firstDay.description,
                                                                period.description, period.description, Self.batchSize])
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
            let pending = try pendingCorrections(condition: "c.contractId BETWEEN ? AND ?", arguments: [first[0] as Int64, lastID])
            for row in batch {
                let contractID: Int64 = row[0]
                let endText: String? = row[2]
                let terms = ContractTerms(start: CalendarDate(row[1] as String)!, end: endText.flatMap(CalendarDate.init),
                                          steps: termsByContract[contractID] ?? [])
                let corrections = pending[contractID] ?? []
                let planned = try located(contractID) { () throws(MoneyOverflow) in
                    try NoticePlanner.regularLines(for: terms, period: period, basis: request.basis).map { regular throws(MoneyOverflow) in
                        try CorrectionBilling.regularNotice(regular: regular, pending: corrections.map(\.item))
                    }
                }
                guard let (noticeLines, refund) = planned else { continue }
                let noticeID = try issue(kind: .regular, contractID: contractID, lines: noticeLines, dueDate: report.dueDate)
                settle(corrections, noticeID: noticeID, refundNumber: nil)
                if refund != .zero { try addRefund(contractID: contractID, amount: refund, noticeID: noticeID, text: "Kredit över avi \(report.lastNumber!)") }
                if notices.pendingRows == 100 { try flush() }
            }
            try flush()
        }
        try issueCatchUpNotices()
        try settleEndedContracts()
    }

    /// Pending corrections of ended contracts: a correction notice for a debit, a refund for a credit.
    private mutating func settleEndedContracts() throws {
        let pending = try pendingCorrections(condition: "k.endDate IS NOT NULL AND k.endDate < ?", arguments: [request.period.firstDay.description])
        let dueDate = DueDateRule.correctionNotice(issuedOn: request.issueDate)
        for contractID in pending.keys.sorted() {
            let corrections = pending[contractID]!
            switch try located(contractID, { () throws(MoneyOverflow) in try CorrectionBilling.standalone(corrections.map(\.item)) }) {
            case let .notice(noticeLines):
                let noticeID = try issue(kind: .correction, contractID: contractID, lines: noticeLines, dueDate: dueDate)
                settle(corrections, noticeID: noticeID, refundNumber: nil)
            case let .refund(amount):
                let number = try addRefund(contractID: contractID, amount: amount, noticeID: nil,
                                       text: "Retroaktiv justering " + Set(corrections.map(\.item.correction)).sorted().joined(separator: ", "))
                settle(corrections, noticeID: nil, refundNumber: number)
            case .nothing:
                // Corrections of the same months that cancel out: nothing to send, nothing owed.
                break
            }
        }
        try flush()
    }

    /// Plans one notice and queues its rows; returns its id.
    mutating func issue(kind: Notice.Kind, contractID: Int64, period: BillingPeriod? = nil, lines noticeLines: [NoticeLine],
                        dueDate: CalendarDate) throws -> Int64 {
        let id = nextNoticeID
        nextNoticeID += 1
        serial += 1
        let number = "\(request.issueDate.year)-" + String(serial).zeroPadded(to: 6)
        let ocr = OCRReference.make(base: "1" + String(id).zeroPadded(to: 8), lengthDigit: request.ocrLengthDigit)
        let total = try located(contractID) { () throws(MoneyOverflow) in try noticeLines.map(\.amount).sum() }
        if !request.dryRun {
            for (position, line) in noticeLines.enumerated() {
                lines.bind(id)
                lines.bind(position + 1)
                lines.bind(line.text)
                lines.bind(line.amount.ore)
                lines.bind(line.component)
                lines.bind(line.vatRate)
                lines.bind(line.vatAmount.ore)
                lines.bind(line.correctsPeriod?.description)
                if let original = line.correctsNotice {
                    lines.bind(try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM notice WHERE number = ?"), arguments: [original]))
                } else {
                    lines.bindNull()
                }
                try lines.endRow()
            }
            notices.bind(id)
            notices.bind(number)
            notices.bind(contractID)
            notices.bind((period ?? request.period).description)
            notices.bind(kind.rawValue)
            notices.bind(request.issueDate.description)
            notices.bind(dueDate.description)
            notices.bind(ocr)
            notices.bind(total.ore)
            notices.bind(context.timestamp)
            notices.bind(context.actor)
            try notices.endRow()
        }
        report.issued += 1
        try located(contractID) { () throws(MoneyOverflow) in try report.total += total }
        if kind == .correction { report.correctionNotices += 1 }
        report.correctionLines += noticeLines.filter { $0.correctsPeriod != nil }.count
        if report.firstNumber == nil { report.firstNumber = number }
        report.lastNumber = number
        return id
    }

    /// `body`'s result, or a rejection naming the contract and the month when its amounts are out
    /// of range (stored terms from before the bounds): the run stops and issues nothing, and the
    /// administrator corrects that contract.
    func located<T>(_ contractID: Int64, _ body: () throws(MoneyOverflow) -> T) throws -> T {
        do {
            return try body()
        } catch {
            let number = try String.fetchOne(db, sql: "SELECT number FROM contract WHERE id = ?", arguments: [contractID]) ?? "id \(contractID)"
            throw StorageError.rejected("contract \(number), \(request.period): \(error); nothing was issued. Correct the contract's amounts with `sublet contract change` and run again.")
        }
    }

    private mutating func settle(_ corrections: [(correctionID: Int64, item: PendingCorrection)], noticeID: Int64?, refundNumber: String?) {
        for correction in corrections {
            settlements.append((correction.correctionID, correction.item.period.description, noticeID, refundNumber))
        }
    }

    @discardableResult
    private mutating func addRefund(contractID: Int64, amount: Money, noticeID: Int64?, text: String) throws -> String {
        refundSerial += 1
        let number = "R-\(request.issueDate.year)-" + String(refundSerial).zeroPadded(to: 6)
        refunds.append((number, contractID, amount, noticeID, text))
        report.refunds += 1
        try located(contractID) { () throws(MoneyOverflow) in try report.refundTotal += amount }
        return number
    }

    /// Writes the queued lines and notices, then the refunds and settlements that point at them.
    mutating func flush() throws {
        guard !request.dryRun else {
            refunds.removeAll()
            settlements.removeAll()
            return
        }
        try lines.flush()
        try notices.flush()
        var refundIDs: [String: Int64] = [:]
        for refund in refunds {
            try db.execute(sql: """
                INSERT INTO refund (number, contractId, amount, period, createdOn, createdAt, noticeId, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [refund.number, refund.contractID, refund.amount.ore, request.period.description, request.issueDate.description,
                                 context.timestamp, refund.noticeID, refund.text])
            refundIDs[refund.number] = db.lastInsertedRowID
        }
        let settle = try db.cachedStatement(sql: """
            UPDATE correctionMonth SET settledNoticeId = ?, settledRefundId = ? WHERE correctionId = ? AND period = ?
            """)
        for settlement in settlements {
            try settle.execute(arguments: [settlement.noticeID, settlement.refundNumber.flatMap { refundIDs[$0] }, settlement.correctionID, settlement.period])
        }
        refunds.removeAll()
        settlements.removeAll()
    }

    /// Unsettled correction months by contract.
    private func pendingCorrections(condition: String, arguments: StatementArguments) throws -> [Int64: [(correctionID: Int64, item: PendingCorrection)]] {
        var result: [Int64: [(correctionID: Int64, item: PendingCorrection)]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.contractId, c.id, c.number, m.period, m.difference, o.number AS original
            FROM correctionMonth m JOIN correction c ON c.id = m.correctionId JOIN contract k ON k.id = c.contractId
            LEFT JOIN notice o ON o.id = m.noticeId
            WHERE m.settledNoticeId IS NULL AND m.settledRefundId IS NULL AND \(condition)
            ORDER BY c.id, m.period
            """, arguments: arguments)
        while let row = try rows.next() {
            result[row[0], default: []].append((row[1], PendingCorrection(
                correction: row[2], period: BillingPeriod(row[3] as String)!, notice: row[5], difference: Money(ore: row[4])
            )))
        }
        return result
    }

    func saveCounters() throws {
        for (name, value) in [(serialName, serial), (refundSerialName, refundSerial)] {
            try db.execute(
                sql: "INSERT INTO counter (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                arguments: [name, value]
            )
        }
    }
}
