import GRDB
import SubletDomain

/// Months a contract missed because it was registered after they were run (issue #7).
public struct CatchUp: Sendable, Equatable {
    public var contract: String
    public var months: [BillingPeriod]
}

extension SubletDatabase {
    /// The closed months (the monthly job has run for them) in which `terms` are active: what the
    /// next run bills as catch-up notices for a contract registered now.
    public func closedMonths(activeUnder terms: ContractTerms) throws -> [BillingPeriod] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT period FROM noticeRun ORDER BY period").compactMap(BillingPeriod.init)
                .filter { terms.activeRange(in: $0) != nil }
        }
    }
}

extension NoticeRun {
    /// Catch-up notices: for every contract active in a month the monthly job has already run for
    /// (other than this run's), registered too late to be in that run, the regular notice of that
    /// month, with its own due date (the first bank day at least `notice.min_days` after today)
    /// and no fee: it corrects no issued notice, it is the one that was never sent.
    ///
    /// A month is missed when the contract was active in it and has neither a regular notice for
    /// it nor a correction that billed it. Only months before a contract's first notice can be
    /// missed (after that every run notices it), so a contract is a candidate only when its first
    /// notice comes later than both its start and the first closed month: one index look-up per
    /// contract finds them.
    mutating func issueCatchUpNotices() throws {
        let closed = try String.fetchAll(db, sql: "SELECT period FROM noticeRun WHERE period != ? ORDER BY period",
                                         arguments: [request.period.description]).compactMap(BillingPeriod.init)
        guard let firstClosed = closed.first, let lastClosed = closed.last else { return }
        // MATERIALIZED: the first notice is looked up once per contract, not once per use.
        let candidates = try Row.fetchAll(db, sql: """
            WITH contracts AS MATERIALIZED (
                SELECT c.id, c.startDate, c.endDate,
                       (SELECT min(n.period) FROM notice n WHERE n.contractId = c.id AND n.kind = 'regular') AS firstNoticed
                FROM contract c
                WHERE c.startDate <= ? AND (c.endDate IS NULL OR c.endDate >= ?))
            SELECT id, startDate, endDate, firstNoticed FROM contracts
            WHERE firstNoticed IS NULL OR firstNoticed > max(substr(startDate, 1, 7), ?)
            ORDER BY id
            """, arguments: [lastClosed.lastDay.description, firstClosed.firstDay.description, firstClosed.description])
        for row in candidates {
            let contractID: Int64 = row["id"]
            let firstNoticed = (row["firstNoticed"] as String?).flatMap(BillingPeriod.init)
            let corrected = Set(try String.fetchAll(db.cachedStatement(sql: """
                SELECT m.period FROM correctionMonth m JOIN correction k ON k.id = m.correctionId WHERE k.contractId = ?
                """), arguments: [contractID]).compactMap(BillingPeriod.init))
            let missed = closed.filter { month in firstNoticed.map { month < $0 } ?? true }.filter { !corrected.contains($0) }
            guard !missed.isEmpty else { continue }
            let steps = try Row.fetchAll(db.cachedStatement(sql: "SELECT component, validFrom, amount, vatRate FROM contractTerm WHERE contractId = ?"),
                                         arguments: [contractID]).map { step in
                TermStep(component: step["component"], validFrom: CalendarDate(step["validFrom"] as String)!,
                         amount: (step["amount"] as Int?).map(Money.init(ore:)), vatRate: step["vatRate"])
            }
            let terms = ContractTerms(start: CalendarDate(row["startDate"] as String)!, end: (row["endDate"] as String?).flatMap(CalendarDate.init),
                                      steps: steps)
            for month in missed {
                let lines = try located(contractID) { () throws(MoneyOverflow) in try NoticePlanner.regularLines(for: terms, period: month, basis: request.basis) }
                guard let lines else { continue }
                // Due as a late notice: the month's own lawful date has passed.
                let due = DueDateRule.regularNotice(for: month, issuedOn: request.issueDate, minimumDays: request.minimumDays)
                _ = try issue(kind: .regular, contractID: contractID, period: month, lines: lines, dueDate: due)
                report.catchUpNotices += 1
            }
            if notices.pendingRows >= 100 { try flush() }
        }
        try flush()
    }
}
