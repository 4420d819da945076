import GRDB
import SubletDomain

/// One run of the monthly job inside one transaction: reads the contracts in batches, hands each
/// to the domain's `NoticeRunPlanner`, and writes what it plans (lines, then notices, many rows per
/// statement; then refunds and settlements). Decides nothing itself.
struct NoticeRun {
    let db: Database
    let context: ChangeContext
    private(set) var planner: NoticeRunPlanner
    private var lines: BulkInsert
    private var notices: BulkInsert
    /// Written after the notices they point at.
    private var refunds: [RefundDraft] = []
    private var settlements: [CorrectionSettlement] = []
    /// The notices written, counted for the tallies (schema v6), added when the run ends.
    private var tallies: [NoticeTallyKey: Int] = [:]
    private static let batchSize = 4000

    var request: NoticeRunRequest { planner.request }
    var report: NoticeRunReport { planner.report }

    /// Hears (contract ids gone through, the highest contract id) after each batch of the
    /// month's regular notices: ids, not a count, so that telling costs no query.
    var progress: (Int, Int) -> Void = { _, _ in }

    init(db: Database, request: NoticeRunRequest, context: ChangeContext) throws {
        self.db = db
        self.context = context
        let already = try Int.fetchOne(db, sql: "SELECT count(*) FROM notice WHERE period = ? AND kind = 'regular'", arguments: [request.period]) ?? 0
        let series = NoticeRunPlanner.series(issuedIn: request.issueDate.year)
        planner = NoticeRunPlanner(
            request: request, alreadyIssued: already, lastNoticeID: try Int64.fetchOne(db, sql: "SELECT max(id) FROM notice") ?? 0,
            notices: try SubletDatabase.numbering(db, series.notices), refunds: try SubletDatabase.numbering(db, series.refunds))
        // Lines first, then their notice: the notice seals its lines (see Schema).
        lines = BulkInsert(
            db, table: "noticeLine",
            columns: [
                "noticeId", "position", "text", "amount", "component", "vatRate", "vatAmount", "correctsPeriod", "correctsNoticeId",
            ], rowsPerStatement: 100)
        notices = BulkInsert(
            db, table: "notice",
            columns: [
                "id", "number", "contractId", "period", "kind", "issueDate", "dueDate", "ocr", "total", "createdAt", "createdBy",
            ], rowsPerStatement: nil)
    }

    /// The whole run: the month's regular notices, then catch-up notices, then ended contracts'
    /// corrections.
    mutating func issueAll() throws {
        try issueRegular()
        try issueCatchUps()
        try settleEndedContracts()
        if !request.dryRun {
            try SubletDatabase.save(planner.notices, db)
            try SubletDatabase.save(planner.refunds, db)
            try Schema.addTallies(tallies, db)
        }
    }

    /// Contracts active in the month without its regular notice (nor a correction that billed
    /// it), 4,000 at a time with their steps and pending corrections.
    private mutating func issueRegular() throws {
        let period = request.period
        let contracts = try db.cachedStatement(
            sql: """
                SELECT \(RunContract.columns) FROM contract c
                WHERE c.id > ? AND c.startDate <= ? AND (c.endDate IS NULL OR c.endDate >= ?)
                  AND NOT EXISTS (SELECT 1 FROM notice n WHERE n.contractId = c.id AND n.period = ? AND n.kind = 'regular')
                  -- A month already billed by a correction (a start moved earlier) gets no regular notice too.
                  AND NOT EXISTS (SELECT 1 FROM correction k JOIN correctionMonth m ON m.correctionId = k.id
                                  WHERE k.contractId = c.id AND m.period = ?)
                ORDER BY c.id LIMIT ?
                """)
        var lastID: Int64 = 0
        let highest = Int(try Int64.fetchOne(db, sql: "SELECT max(id) FROM contract") ?? 0)
        while true {
            let batch = try Row.fetchAll(contracts, arguments: [lastID, period.lastDay, period.firstDay, period, period, Self.batchSize])
            guard let first = batch.first, let last = batch.last else {
                progress(highest, highest)
                break
            }
            let firstID = try RunContract(first).id
            lastID = try RunContract(last).id
            let steps = try SubletDatabase.termSteps(db, contractIDs: firstID...lastID)
            let pending = try pendingCorrections(condition: "c.contractId BETWEEN ? AND ?", arguments: [firstID, lastID])
            for row in batch {
                let contract = try RunContract(row)
                let plan = try planner.regular(
                    contractID: contract.id, contract: contract.number, terms: contract.terms(steps[contract.id] ?? []),
                    pending: pending[contract.id] ?? [])
                try write(plan, district: contract.district)
                if notices.pendingRows >= 100 { try flush() }
            }
            try flush()
            progress(Int(lastID), highest)
        }
    }

    /// Catch-up notices (issue #7): contracts whose first notice comes later than both their
    /// start and the first closed month (one index look-up per contract finds them), for each
    /// closed month they missed.
    private mutating func issueCatchUps() throws {
        let closed = try SubletDatabase.closedMonths(db).filter { $0 != request.period }
        guard let firstClosed = closed.first, let lastClosed = closed.last else { return }
        // MATERIALIZED: the first notice is looked up once per contract, not once per use.
        let candidates = try Row.fetchAll(
            db,
            sql: """
                WITH contracts AS MATERIALIZED (
                    SELECT \(RunContract.columns),
                           (SELECT min(n.period) FROM notice n WHERE n.contractId = c.id AND n.kind = 'regular') AS firstNoticed
                    FROM contract c
                    WHERE c.startDate <= ? AND (c.endDate IS NULL OR c.endDate >= ?))
                SELECT id, number, districtCode, startDate, endDate, firstNoticed FROM contracts
                WHERE firstNoticed IS NULL OR firstNoticed > max(substr(startDate, 1, 7), ?)
                ORDER BY id
                """, arguments: [lastClosed.lastDay, firstClosed.firstDay, firstClosed])
        for row in candidates {
            let id: Int64 = try row.value("id", in: "contract")
            let corrected = Set(
                try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT m.period FROM correctionMonth m JOIN correction k ON k.id = m.correctionId WHERE k.contractId = ?
                            """), arguments: [id]
                ).map { try $0.value("period", in: "correctionMonth") as BillingPeriod })
            let missed = NoticeRunPlanner.missedMonths(
                closed: closed, firstNoticed: try row.value("firstNoticed", in: "notice"), corrected: corrected)
            guard !missed.isEmpty else { continue }
            let terms = try SubletDatabase.terms(row, steps: try SubletDatabase.termSteps(db, contractIDs: id...id)[id] ?? [])
            for month in missed {
                try write(
                    try planner.catchUp(contractID: id, contract: try row.value("number", in: "contract"), terms: terms, month: month),
                    district: try row.value("districtCode", in: "contract"))
            }
            if notices.pendingRows >= 100 { try flush() }
        }
        try flush()
    }

    /// Pending corrections of contracts that ended before the month: a correction notice or a refund.
    private mutating func settleEndedContracts() throws {
        let pending = try pendingCorrections(condition: "k.endDate IS NOT NULL AND k.endDate < ?", arguments: [request.period.firstDay])
        let contracts = try contractNumbers(Array(pending.keys))
        for contractID in pending.keys.sorted() {
            guard let contract = contracts[contractID] else { throw StorageError.notFound("contract id \(contractID)") }
            try write(
                try planner.ended(contractID: contractID, contract: contract.number, pending: pending[contractID] ?? []), district: contract.district)
        }
        try flush()
    }

    /// Queues what a plan writes.
    private mutating func write(_ plan: NoticeRunPlan, district: String) throws {
        guard !request.dryRun else { return }
        for draft in plan.notices {
            let notice = draft.notice
            tallies[
                NoticeTallyKey(district: district, period: notice.period, issueMonth: notice.issueDate.period, regular: notice.kind == .regular),
                default: 0] += 1
            for (position, line) in notice.lines.enumerated() {
                lines.bind(draft.id)
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
            notices.bind(draft.id)
            notices.bind(notice.number)
            notices.bind(draft.contractID)
            for value in [notice.period.description, notice.kind.rawValue, notice.issueDate.description, notice.dueDate.description, notice.ocr] {
                notices.bind(value)
            }
            notices.bind(notice.total.ore)
            notices.bind(context.timestamp)
            notices.bind(context.actor)
            try notices.endRow()
        }
        refunds += plan.refunds
        settlements += plan.settlements
    }

    /// Writes the queued lines and notices, then the refunds and settlements that point at them.
    private mutating func flush() throws {
        guard !request.dryRun else { return }
        try lines.flush()
        try notices.flush()
        var refundIDs: [String: Int64] = [:]
        for refund in refunds {
            refundIDs[refund.number] = try SubletDatabase.insertRefund(
                refund, period: request.period, createdOn: request.issueDate, context: context, db)
        }
        let settle = try db.cachedStatement(
            sql: "UPDATE correctionMonth SET settledNoticeId = ?, settledRefundId = ? WHERE correctionId = ? AND period = ?")
        for settlement in settlements {
            try settle.execute(arguments: [
                settlement.noticeID, settlement.refundNumber.flatMap { refundIDs[$0] }, settlement.correctionID, settlement.period,
            ])
        }
        refunds.removeAll()
        settlements.removeAll()
    }

    /// Unsettled correction months by contract.
    private func pendingCorrections(condition: String, arguments: StatementArguments) throws -> [Int64: [PendingMonth]] {
        var result: [Int64: [PendingMonth]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.contractId, c.id, c.number, m.period, m.difference, o.number AS original
                FROM correctionMonth m JOIN correction c ON c.id = m.correctionId JOIN contract k ON k.id = c.contractId
                LEFT JOIN notice o ON o.id = m.noticeId
                WHERE m.settledNoticeId IS NULL AND m.settledRefundId IS NULL AND \(condition)
                ORDER BY c.id, m.period
                """, arguments: arguments)
        while let row = try rows.next() {
            let correctionID: Int64 = try row.value("id", in: "correction")
            let item = PendingCorrection(
                correction: try row.value("number", in: "correction"), period: try row.value("period", in: "correctionMonth"),
                notice: try row.value("original", in: "notice"), difference: try row.value("difference", in: "correctionMonth"))
            let contractID: Int64 = try row.value("contractId", in: "correction")
            result[contractID, default: []].append(PendingMonth(correctionID: correctionID, item: item))
        }
        // The VAT split of the few months that have one (a change of VAT): all others are exempt.
        let vat = try SubletDatabase.correctionVAT(db, where: "m.settledNoticeId IS NULL AND m.settledRefundId IS NULL")
        guard !vat.isEmpty else { return result }
        for (contractID, months) in result {
            result[contractID] = months.map { month in
                var month = month
                if let byRate = vat[month.correctionID]?[month.item.period] { month.item.vatSplit = byRate }
                return month
            }
        }
        return result
    }

    private func contractNumbers(_ ids: [Int64]) throws -> [Int64: (number: String, district: String)] {
        guard !ids.isEmpty else { return [:] }
        var contracts: [Int64: (number: String, district: String)] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT id, number, districtCode FROM contract WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
            arguments: StatementArguments(ids))
        {
            contracts[try row.value("id", in: "contract")] = (try row.value("number", in: "contract"), try row.value("districtCode", in: "contract"))
        }
        return contracts
    }
}

/// A contract as the monthly run reads it, 86,000 times a run: by position from `columns`.
private struct RunContract {
    static let columns = "c.id, c.number, c.districtCode, c.startDate, c.endDate"
    let id: Int64
    let number: String
    let district: String
    let start: CalendarDate
    let end: CalendarDate?

    init(_ row: Row) throws {
        id = try row.value(at: 0, "id", in: "contract")
        number = try row.value(at: 1, "number", in: "contract")
        district = try row.value(at: 2, "districtCode", in: "contract")
        start = try row.value(at: 3, "startDate", in: "contract")
        end = try row.value(at: 4, "endDate", in: "contract")
    }

    func terms(_ steps: [TermStep]) -> ContractTerms { ContractTerms(start: start, end: end, steps: steps) }
}
