import GRDB
import SubletDomain

extension SubletDatabase {
    /// A contract's statement, oldest first: its notices (billed), the payments applied to it
    /// (and credit left on it), and refunds made out, with a running balance of what is owed.
    public func ledger(contract number: String) throws -> [LedgerLine] {
        try read { db in
            guard let contractID = try Int64.fetchOne(db, sql: "SELECT id FROM contract WHERE number = ?", arguments: [number]) else {
                throw PaymentActionError("no contract \(number)")
            }
            var lines: [LedgerLine] = []
            let table = "notice"
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT issueDate, number, kind, period, total, dueDate, \(Schema.noticeBalance("notice"))
                    FROM notice WHERE contractId = ? ORDER BY id
                    """, arguments: [contractID])
            {
                let kind: String = try row.value(at: 2, "kind", in: table)
                let due: CalendarDate = try row.value(at: 5, "dueDate", in: table)
                let total = Money(ore: try row.value(at: 4, "total", in: table))
                let balance = Money(ore: try row.value(at: 6, "balance", in: table))
                lines.append(
                    LedgerLine(
                        date: try row.value(at: 0, "issueDate", in: table), kind: .notice, document: try row.value(at: 1, "number", in: table),
                        text: (kind == "regular" ? "Notice " : "Correction notice ") + (try row.value(at: 3, "period", in: table) as String)
                            + ", due \(due)",
                        amount: total, balance: .zero, status: NoticeStatus(billed: total, applied: try total - balance)))
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT p.paymentDate, p.id, a.kind, n.number, a.amount, a.reversesId FROM paymentApplication a
                    JOIN payment p ON p.id = a.paymentId LEFT JOIN notice n ON n.id = a.noticeId
                    WHERE a.contractId = ? AND a.kind IN ('notice', 'credit') ORDER BY a.id
                    """, arguments: [contractID])
            {
                let kind: String = try row.value(at: 2, "kind", in: "paymentApplication")
                let notice: String? = try row.value(at: 3, "notice", in: "paymentApplication")
                let amount = Money(ore: try row.value(at: 4, "amount", in: "paymentApplication"))
                let reverses: Int64? = try row.value(at: 5, "reversesId", in: "paymentApplication")
                let paymentID: Int64 = try row.value(at: 1, "paymentId", in: "paymentApplication")
                let what = kind == "notice" ? "Payment to \(notice ?? "?")" : "Credit on the contract"
                lines.append(
                    LedgerLine(
                        date: try row.value(at: 0, "paymentDate", in: "payment"), kind: kind == "notice" ? .payment : .credit,
                        document: "B-\(paymentID)", text: reverses == nil ? what : what + " (reversed)", amount: Money(ore: -amount.ore),
                        balance: .zero))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT recordedOn, number, change, total FROM correction WHERE contractId = ? ORDER BY id", arguments: [contractID])
            {
                let total = Money(ore: try row.value(at: 3, "total", in: "correction"))
                lines.append(
                    LedgerLine(
                        date: try row.value(at: 0, "recordedOn", in: "correction"), kind: .correction,
                        document: try row.value(at: 1, "number", in: "correction"),
                        text:
                            "Correction: \(try row.value(at: 2, "change", in: "correction") as String), \(total.isNegative ? "" : "+")\(total.swedish) kr",
                        amount: .zero, balance: .zero))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT createdOn, number, amount, text FROM refund WHERE contractId = ? ORDER BY id", arguments: [contractID])
            {
                lines.append(
                    LedgerLine(
                        date: try row.value(at: 0, "createdOn", in: "refund"), kind: .refund, document: try row.value(at: 1, "number", in: "refund"),
                        // The refund document's own text, as the tenant reads it.
                        text: "Refund: " + (try row.value(at: 3, "text", in: "refund") as String)
                            + ", \(Money(ore: try row.value(at: 2, "amount", in: "refund")).swedish) kr",
                        amount: .zero, balance: .zero))
            }
            lines.sort { ($0.date, $0.kind == .notice ? 0 : 1) < ($1.date, $1.kind == .notice ? 0 : 1) }
            var balance = Money.zero
            for index in lines.indices {
                balance = try balance + lines[index].amount
                lines[index].balance = balance
            }
            return lines
        }
    }

    /// Notices with something owed and due on or before `dueBy`, oldest due first; one
    /// district's when given.
    public func owedNotices(dueBy: CalendarDate, district: String? = nil, notReminded: Bool = false) throws -> [OwedNotice] {
        var filter = QueryFilter()
        filter.add("n.dueDate <= ?", dueBy)
        if let district { filter.add("c.districtCode = ?", district) }
        if notReminded { filter.add("NOT EXISTS (SELECT 1 FROM reminder r WHERE r.noticeId = n.id)") }
        return try accounts(filter, owedOnly: true)
    }

    /// Every regular notice of a month with its balance (paid ones too), for generating payments.
    public func regularNotices(period: BillingPeriod) throws -> [OwedNotice] {
        var filter = QueryFilter()
        filter.add("n.period = ? AND n.kind = 'regular'", period)
        return try accounts(filter, owedOnly: false)
    }

    private func accounts(_ filter: QueryFilter, owedOnly: Bool) throws -> [OwedNotice] {
        try read { db in try Self.accounts(filter, owedOnly: owedOnly, db) }
    }

    private static func accounts(_ filter: QueryFilter, owedOnly: Bool, _ db: Database) throws -> [OwedNotice] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM (
                    SELECT n.id, n.number, c.number, c.districtCode, c.tenantName, c.address, n.period, n.dueDate, n.ocr, n.total,
                           \(Schema.noticeBalance("n")) AS balance,
                           f.notifiedOn, n.contractId
                    FROM notice n JOIN contract c ON c.id = n.contractId LEFT JOIN forfeitureNotice f ON f.noticeId = n.id
                    \(filter.whereClause)
                ) \(owedOnly ? "WHERE balance > 0" : "") ORDER BY 8, 1
                """, arguments: filter.arguments)
        return try rows.map { row in
            let table = "notice"
            return OwedNotice(
                noticeID: try row.value(at: 0, "id", in: table), notice: try row.value(at: 1, "number", in: table),
                contract: try row.value(at: 2, "contract", in: table), district: try row.value(at: 3, "districtCode", in: table),
                tenant: try row.value(at: 4, "tenantName", in: table), address: try row.value(at: 5, "address", in: table),
                period: try row.value(at: 6, "period", in: table), dueDate: try row.value(at: 7, "dueDate", in: table),
                ocr: try row.value(at: 8, "ocr", in: table), total: Money(ore: try row.value(at: 9, "total", in: table)),
                balance: Money(ore: try row.value(at: 10, "balance", in: table)), notifiedOn: try row.value(at: 11, "notifiedOn", in: table),
                contractID: try row.value(at: 12, "contractId", in: table))
        }
    }

    /// Records that the notice to the tenant and to the district (for the social welfare board)
    /// was given for an unpaid notice on the forfeiture list.
    public func recordForfeitureNotice(_ number: String, on date: CalendarDate, context: ChangeContext) throws -> OwedNotice {
        var filter = QueryFilter()
        filter.add("n.number = ?", number)
        return try write { db in
            guard var notice = try Self.accounts(filter, owedOnly: false, db).first else { throw PaymentActionError("no notice \(number)") }
            guard ForfeitureWatch.isWatched(balance: notice.balance, dueDate: notice.dueDate, on: date) else {
                throw PaymentActionError(
                    notice.balance.ore > 0
                        ? "notice \(number) is not on the forfeiture list on \(date): it goes on it on \(ForfeitureWatch.watchDate(dueDate: notice.dueDate))"
                        : "notice \(number) is paid")
            }
            guard notice.notifiedOn == nil else { throw PaymentActionError("the forfeiture notice for \(number) was recorded before") }
            try db.execute(
                sql: "INSERT INTO forfeitureNotice (noticeId, notifiedOn, createdAt, createdBy) VALUES (?, ?, ?, ?)",
                arguments: [notice.noticeID, date, context.timestamp, context.actor])
            try audit(
                db, context: context, action: "forfeiture.notify", entity: "notice", key: number, contractID: notice.contractID,
                detail: "notified \(date); recovery deadline \(ForfeitureWatch.recoveryDeadline(notifiedOn: date))")
            notice.notifiedOn = date
            return notice
        }
    }

    /// Records one reminder for each of `notices` not reminded before; returns those recorded.
    public func recordReminders(_ notices: [OwedNotice], fee: Money, context: ChangeContext) throws -> [OwedNotice] {
        try write { db in
            var recorded: [OwedNotice] = []
            for notice in notices {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO reminder (noticeId, remindedOn, fee, balance, createdAt) VALUES (?, ?, ?, ?, ?)",
                    arguments: [notice.noticeID, context.today, fee.ore, notice.balance.ore, context.timestamp])
                if db.changesCount > 0 { recorded.append(notice) }
            }
            if !recorded.isEmpty {
                try audit(db, context: context, action: "reminders.record", entity: "reminder", key: nil, detail: "\(recorded.count) reminder(s)")
            }
            return recorded
        }
    }
}
