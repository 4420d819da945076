import GRDB
import SubletDomain

extension SubletDatabase {
    /// What the change does to noticed months (`CorrectionPlanner.plan`), or `nil` when no
    /// noticed month changes.
    func planCorrection(
        _ db: Database, contractID: Int64, before: Contract, after contract: Contract, change: TermChange, context: ChangeContext,
        basis: ProrationBasis, options: CorrectionOptions
    ) throws -> Correction? {
        try CorrectionPlanner.plan(
            before: before, after: contract, change: change, billed: try billing(db, contractID: contractID),
            closedThrough: try lastRunPeriod(db), recordedOn: context.today, basis: basis, options: options)
    }

    /// What each month has been billed so far: the rent lines of its regular notice plus every
    /// recorded correction. (A notice's total also holds correction lines for earlier months and
    /// a refund balance; those belong to other months.)
    func billing(_ db: Database, contractID: Int64) throws -> [BillingPeriod: MonthBilling] {
        var billed: [BillingPeriod: MonthBilling] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT n.period, n.number, l.vatRate, coalesce(sum(l.amount), 0) AS billed
                    FROM notice n LEFT JOIN noticeLine l ON l.noticeId = n.id AND l.component IS NOT NULL
                    WHERE n.contractId = ? AND n.kind = 'regular' GROUP BY n.id, l.vatRate
                    """), arguments: [contractID])
        {
            let period: BillingPeriod = try row.value("period", in: "notice")
            let amount: Money = try row.value("billed", in: "noticeLine")
            let notice: String = try row.value("number", in: "notice")
            var month = billed[period] ?? MonthBilling(period: period, notice: notice, billed: .zero, byRate: [:])
            try month.billed += amount
            if let rate: Int = try row.value("vatRate", in: "noticeLine"), amount != .zero {
                try month.vatSplit?[rate, default: .zero] += amount
            }
            billed[period] = month
        }
        let months = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT m.correctionId, m.period, m.difference FROM correctionMonth m JOIN correction c ON c.id = m.correctionId
                    WHERE c.contractId = ?
                    """), arguments: [contractID])
        let vat = try Self.correctionVAT(db, where: "m.correctionId IN (SELECT id FROM correction WHERE contractId = ?)", arguments: [contractID])
        for row in months {
            let period: BillingPeriod = try row.value("period", in: "correctionMonth")
            let difference: Money = try row.value("difference", in: "correctionMonth")
            let byRate = vat[try row.value("correctionId", in: "correctionMonth")]?[period] ?? (difference == .zero ? [:] : [0: difference])
            var month = billed[period] ?? MonthBilling(period: period, notice: nil, billed: .zero, byRate: [:])
            try month.billed += difference
            for (rate, amount) in byRate { try month.vatSplit?[rate, default: .zero] += amount }
            month.vatSplit = month.vatSplit?.filter { $0.value != .zero }
            billed[period] = month
        }
        return billed
    }

    /// The last month the monthly job has run for: months up to it are closed.
    func lastRunPeriod(_ db: Database) throws -> BillingPeriod? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT max(period) FROM noticeRun")).flatMap(BillingPeriod.init)
    }

    /// Writes a planned correction, its months and its fee, and gives it its number.
    func record(_ correction: inout Correction, db: Database, contractID: Int64, context: ChangeContext) throws {
        let number = try Self.nextNumber(db, .corrections(context.today.year))
        correction.number = number
        try db.cachedStatement(
            sql: """
                INSERT INTO correction (number, contractId, change, recordedAt, recordedOn, actor, affectedNotices, total, minutes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            number, contractID, correction.change, context.timestamp, context.today.description, context.actor,
            correction.affectedNotices, correction.total.ore, correction.minutes,
        ])
        let correctionID = db.lastInsertedRowID
        for month in correction.months {
            let noticeID = try month.notice.flatMap {
                try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM notice WHERE number = ?"), arguments: [$0])
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO correctionMonth (correctionId, period, noticeId, billed, correct, difference) VALUES (?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [correctionID, month.period.description, noticeID, month.billed.ore, month.correct.ore, month.difference.ore])
            try Self.recordVAT(month, correctionID: correctionID, db)
        }
        var detail = "\(correction.months.count) month(s), \(correction.affectedNotices) notice(s), total \(correction.total.plain)"
        if let fee = correction.fee {
            try db.cachedStatement(
                sql: """
                    INSERT INTO fee (correctionId, districtCode, billingPeriod, recordedOn, model, minutes, amount, waived, waiverReason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                correctionID, correction.district, fee.billingPeriod.description, context.today.description,
                fee.model.rawValue, fee.minutes, fee.amount.ore, fee.waived, fee.waiverReason,
            ])
            detail += fee.waived ? ", fee waived: \(fee.waiverReason!)" : ", fee \(fee.amount.plain)"
        }
        try audit(db, context: context, action: "correction.record", entity: "correction", key: number, contractID: contractID, detail: detail)
    }

    // MARK: - Reading

    /// Corrections, oldest first; one contract's, or those recorded in a month.
    public func corrections(contractNumber: String? = nil, recordedIn period: BillingPeriod? = nil) throws -> [Correction] {
        try read { db in
            var filter = QueryFilter()
            if let contractNumber {
                _ = try loadContract(db, number: contractNumber)
                filter.add("k.number = ?", contractNumber)
            }
            if let period { filter.add("c.recordedOn BETWEEN ? AND ?", period.firstDay.description, period.lastDay.description) }
            return try loadCorrections(db, where: filter.condition, arguments: filter.arguments)
        }
    }

    /// The correction with `number`.
    public func correction(number: String) throws -> Correction {
        try read { db in
            guard let found = try loadCorrections(db, where: "c.number = ?", arguments: [number]).first else {
                throw StorageError.notFound("correction \(number)")
            }
            return found
        }
    }

    private func loadCorrections(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [Correction] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.id, c.number, c.change, c.recordedOn, c.minutes, c.total, k.number AS contract, k.districtCode,
                       f.amount AS feeAmount, f.model, f.minutes AS feeMinutes, f.billingPeriod, f.waiverReason, f.id AS feeId
                FROM correction c JOIN contract k ON k.id = c.contractId LEFT JOIN fee f ON f.correctionId = c.id
                \(condition.isEmpty ? "" : "WHERE " + condition) ORDER BY c.id
                """, arguments: arguments)
        let vat = try Self.correctionVAT(db)
        return try rows.map { row in
            let id: Int64 = try row.value("id", in: "correction")
            let months = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.period, m.billed, m.correct, n.number AS notice FROM correctionMonth m LEFT JOIN notice n ON n.id = m.noticeId
                    WHERE m.correctionId = ? ORDER BY m.period
                    """, arguments: [try row.value("id", in: "correctionMonth") as Int64]
            ).map {
                let period: BillingPeriod = try $0.value("period", in: "correctionMonth")
                return try CorrectionMonth(
                    period: period, notice: try $0.value("notice", in: "correctionMonth"),
                    billed: try $0.value("billed", in: "correctionMonth"), correct: try $0.value("correct", in: "correctionMonth"),
                    byRate: vat[id]?[period])
            }
            let fee: Correction.Fee? = try (try row.value("feeId", in: "correction") as Int64?).map { _ in
                Correction.Fee(
                    amount: try row.value("feeAmount", in: "correction"), model: try row.value("model", in: "correction"),
                    minutes: try row.value("feeMinutes", in: "correction"), billingPeriod: try row.value("billingPeriod", in: "correction"),
                    waiverReason: try row.value("waiverReason", in: "correction"))
            }
            return Correction(
                number: try row.value("number", in: "correction"), contract: try row.value("contract", in: "correction"),
                district: try row.value("districtCode", in: "correction"), change: try row.value("change", in: "correction"),
                recordedOn: try row.value("recordedOn", in: "correction"), months: months, minutes: try row.value("minutes", in: "correction"),
                fee: fee,
                total: try row.value("total", in: "correction"))
        }
    }

    /// Refunds owed to tenants, oldest first.
    public func refunds(contractNumber: String? = nil, period: BillingPeriod? = nil) throws -> [Refund] {
        try read { db in
            var filter = QueryFilter()
            if let contractNumber {
                _ = try loadContract(db, number: contractNumber)
                filter.add("k.number = ?", contractNumber)
            }
            if let period { filter.add("r.period = ?", period.description) }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT r.number, k.number AS contract, r.amount, r.period, r.createdOn, n.number AS notice, r.text
                    FROM refund r JOIN contract k ON k.id = r.contractId LEFT JOIN notice n ON n.id = r.noticeId
                    \(filter.whereClause) ORDER BY r.id
                    """, arguments: filter.arguments
            ).map {
                Refund(
                    number: try $0.value("number", in: "refund"), contract: try $0.value("contract", in: "refund"),
                    amount: try $0.value("amount", in: "refund"),
                    period: try $0.value("period", in: "refund"), createdOn: try $0.value("createdOn", in: "refund"),
                    notice: try $0.value("notice", in: "refund"), text: try $0.value("text", in: "refund"))
            }
        }
    }

    /// Fees, by billing period, district and correction; waived ones included (with their reason).
    public func fees(period: BillingPeriod? = nil, district: String? = nil) throws -> [FeeEntry] {
        try read { db in
            var filter = QueryFilter()
            if let period { filter.add("f.billingPeriod = ?", period.description) }
            if let district { filter.add("f.districtCode = ?", district) }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT c.number AS correction, k.number AS contract, f.districtCode, d.name AS districtName, f.billingPeriod,
                           f.recordedOn, f.amount, f.model, f.minutes, c.affectedNotices, f.waiverReason, c.change
                    FROM fee f JOIN correction c ON c.id = f.correctionId JOIN contract k ON k.id = c.contractId
                    JOIN district d ON d.code = f.districtCode
                    \(filter.whereClause)
                    ORDER BY f.billingPeriod, f.districtCode, c.number
                    """, arguments: filter.arguments
            ).map {
                FeeEntry(
                    correction: try $0.value("correction", in: "fee"), contract: try $0.value("contract", in: "fee"),
                    district: try $0.value("districtCode", in: "fee"), districtName: try $0.value("districtName", in: "fee"),
                    billingPeriod: try $0.value("billingPeriod", in: "fee"), recordedOn: try $0.value("recordedOn", in: "fee"),
                    amount: try $0.value("amount", in: "fee"), model: try $0.value("model", in: "fee"), minutes: try $0.value("minutes", in: "fee"),
                    affectedNotices: try $0.value("affectedNotices", in: "fee"), waiverReason: try $0.value("waiverReason", in: "fee"),
                    change: try $0.value("change", in: "correction"))
            }
        }
    }
}
