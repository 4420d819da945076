import GRDB
import SubletDomain

/// Why a manual payment action was refused.
public struct PaymentActionError: Error, Sendable, Equatable, CustomStringConvertible, CategorizedError {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var category: ErrorCategory { .invalidInput }
}

extension SubletDatabase {
    static let paymentColumns = """
        p.id, f.name, p.sourceLine, p.format, p.amount, p.paymentDate, p.reference, p.text, p.payerName, p.payerId, p.tier,
        coalesce((SELECT sum(a.amount) FROM paymentApplication a WHERE a.paymentId = p.id), 0),
        EXISTS (SELECT 1 FROM paymentApplication a WHERE a.paymentId = p.id AND a.kind = 'return')
        """

    /// Payments, oldest first: of a month (by payment date), in a state.
    public func payments(period: BillingPeriod? = nil, state: StoredPayment.State? = nil) throws -> [StoredPayment] {
        try read { db in
            var filter = QueryFilter()
            if let period { filter.add("substr(p.paymentDate, 1, 7) = ?", period.description) }
            let payments = try Self.loadPayments(db, filter)
            guard let state else { return payments }
            return payments.filter { $0.state == state }
        }
    }

    public func payment(id: Int64) throws -> StoredPayment {
        try read { db in try Self.payment(id, db) }
    }

    static func payment(_ id: Int64, _ db: Database) throws -> StoredPayment {
        var filter = QueryFilter()
        filter.add("p.id = ?", id)
        guard let payment = try loadPayments(db, filter).first else { throw PaymentActionError("no payment \(id)") }
        return try withApplications(payment, db)
    }

    static func loadPayments(_ db: Database, _ filter: QueryFilter) throws -> [StoredPayment] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(paymentColumns) FROM payment p JOIN paymentFile f ON f.id = p.fileId \(filter.whereClause) ORDER BY p.id",
            arguments: filter.arguments)
        return try rows.map { row in
            let table = "payment"
            let tier: String = try row.value(at: 10, "tier", in: table)
            return StoredPayment(
                id: try row.value(at: 0, "id", in: table), file: try row.value(at: 1, "file", in: table),
                line: try row.value(at: 2, "sourceLine", in: table),
                format: try row.value(at: 3, "format", in: table), amount: Money(ore: try row.value(at: 4, "amount", in: table)),
                paymentDate: try row.value(at: 5, "paymentDate", in: table), reference: try row.value(at: 6, "reference", in: table),
                text: try row.value(at: 7, "text", in: table), payerName: try row.value(at: 8, "payerName", in: table),
                payerID: try row.value(at: 9, "payerId", in: table), tier: PaymentMatch.Tier(rawValue: tier) ?? .unidentified,
                applied: Money(ore: try row.value(at: 11, "applied", in: table)), returned: try row.value(at: 12, "returned", in: table))
        }
    }

    static func withApplications(_ payment: StoredPayment, _ db: Database) throws -> StoredPayment {
        var payment = payment
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.kind, n.number, c.number, a.amount, a.reversesId, a.reason, a.createdAt, a.createdBy
                FROM paymentApplication a LEFT JOIN notice n ON n.id = a.noticeId LEFT JOIN contract c ON c.id = a.contractId
                WHERE a.paymentId = ? ORDER BY a.id
                """, arguments: [payment.id])
        payment.applications = try rows.map { row in
            let table = "paymentApplication"
            return StoredApplication(
                id: try row.value(at: 0, "id", in: table), kind: try row.value(at: 1, "kind", in: table),
                notice: try row.value(at: 2, "notice", in: table),
                contract: try row.value(at: 3, "contract", in: table), amount: Money(ore: try row.value(at: 4, "amount", in: table)),
                reversesID: try row.value(at: 5, "reversesId", in: table), reason: try row.value(at: 6, "reason", in: table),
                at: try row.value(at: 7, "createdAt", in: table), by: try row.value(at: 8, "createdBy", in: table))
        }
        return payment
    }

    /// The queue: payments with money not yet placed, each with the matcher's suggestions as the
    /// register stands now.
    public func unidentifiedPayments(
        matcher: PaymentMatcher, today: CalendarDate
    ) throws -> [(payment: StoredPayment, suggestions: [PaymentSuggestion])] {
        try read { db in
            var filter = QueryFilter()
            filter.add("p.amount != coalesce((SELECT sum(a.amount) FROM paymentApplication a WHERE a.paymentId = p.id), 0)")
            let register = try PaymentRegister(db, today: today)
            return try Self.loadPayments(db, filter).map { stored in
                let incoming = IncomingPayment(
                    format: IncomingPayment.Format(rawValue: stored.format) ?? .camt054, bankKey: "", amount: stored.unapplied, currency: "SEK",
                    paymentDate: stored.paymentDate, references: (stored.reference ?? "").split(separator: " ").map(String.init),
                    text: stored.text, payerName: stored.payerName, payerID: stored.payerID)
                var match = matcher.match(incoming, in: register)
                if let notice = match.notice {
                    match.suggestions = [PaymentSuggestion(notice, score: 95, reason: "OCR \(notice.ocr) names the notice")]
                }
                if let failure = register.failure { throw failure }
                return (stored, match.suggestions)
            }
        }
    }

    /// Places what is left of a payment on a notice (and, per `policy`, the contract's other
    /// open notices) or on a contract (its oldest open notice first, else credit).
    public func assignPayment(
        _ id: Int64, notice number: String?, contract contractNumber: String?, policy: OverpaymentPolicy, context: ChangeContext
    ) throws -> StoredPayment {
        try write { db in
            let payment = try Self.payment(id, db)
            guard payment.unapplied.ore > 0 else {
                throw PaymentActionError("payment \(id) has nothing left to place (\(payment.unapplied.swedish) kr); unassign it first")
            }
            let register = try PaymentRegister(db, today: context.today)
            let named: NoticeAccount
            let contractID: Int64
            if let number {
                guard let notice = register.notice(number: number) else { throw PaymentActionError("no notice \(number)") }
                named = notice
                contractID = notice.contractID
            } else if let contractNumber {
                guard let row = try Row.fetchOne(db, sql: "SELECT id, endDate FROM contract WHERE number = ?", arguments: [contractNumber]) else {
                    throw PaymentActionError("no contract \(contractNumber)")
                }
                let found: Int64 = try row.value(at: 0, "id", in: "contract")
                let end: CalendarDate? = try row.value(at: 1, "endDate", in: "contract")
                contractID = found
                guard let oldest = register.openNotices(contractID: found).first else {
                    // Nothing owed: credit for the next notice, or a refund once the contract has ended.
                    let rule = PaymentAllocation.policy(policy, contractEnd: end, today: context.today)
                    let kind: Application.Kind = rule == .refund ? .refund : .credit
                    try apply(
                        Application(kind: kind, noticeID: nil, amount: payment.unapplied), payment: payment.id, contractID: found,
                        reason: "assigned by hand", context: context, db)
                    try audit(
                        db, context: context, action: "payments.assign", entity: "payment", key: String(id), contractID: found,
                        detail: "\(kind.rawValue) \(payment.unapplied.plain)")
                    return try Self.payment(id, db)
                }
                named = oldest
            } else {
                throw PaymentActionError("name a notice or a contract")
            }
            if let failure = register.failure { throw failure }
            let parts = try PaymentAllocation.allocate(
                payment.unapplied, named: named, open: register.openNotices(contractID: contractID),
                policy: PaymentAllocation.policy(policy, contractEnd: named.contractEnd, today: context.today))
            for part in parts { try apply(part, payment: payment.id, contractID: contractID, reason: "assigned by hand", context: context, db) }
            try audit(
                db, context: context, action: "payments.assign", entity: "payment", key: String(id), contractID: contractID,
                detail: parts.map { "\($0.kind.rawValue) \($0.amount.plain)" }.joined(separator: ", "))
            return try Self.payment(id, db)
        }
    }

    /// Records that what is left of a payment was sent back to the payer.
    public func returnPayment(_ id: Int64, reason: String, context: ChangeContext) throws -> StoredPayment {
        try write { db in
            let payment = try Self.payment(id, db)
            guard payment.unapplied.ore != 0 else { throw PaymentActionError("payment \(id) has nothing left to return") }
            try apply(
                Application(kind: .returned, noticeID: nil, amount: payment.unapplied), payment: id, contractID: nil, reason: reason,
                context: context,
                db)
            try audit(
                db, context: context, action: "payments.return", entity: "payment", key: String(id), detail: "\(payment.unapplied.plain): \(reason)")
            return try Self.payment(id, db)
        }
    }

    /// Undoes every standing application of a payment with reversing rows; the payment goes back
    /// to the queue. A refund already made out is not undone here.
    public func unassignPayment(_ id: Int64, reason: String, context: ChangeContext) throws -> StoredPayment {
        try write { db in
            let payment = try Self.payment(id, db)
            let reversed = Set(payment.applications.compactMap(\.reversesID))
            let standing = payment.applications.filter { $0.reversesID == nil && !reversed.contains($0.id) }
            guard !standing.isEmpty else { throw PaymentActionError("payment \(id) has nothing applied to undo") }
            if standing.contains(where: { $0.kind == "refund" || $0.kind == "return" }) {
                throw PaymentActionError("payment \(id) was partly refunded or returned; that money has left and cannot be unassigned")
            }
            for application in standing {
                try db.execute(
                    sql: """
                        INSERT INTO paymentApplication (paymentId, contractId, noticeId, kind, amount, reversesId, reason, createdAt, createdBy)
                        SELECT paymentId, contractId, noticeId, kind, -amount, id, ?, ?, ? FROM paymentApplication WHERE id = ?
                        """, arguments: [reason, context.timestamp, context.actor, application.id])
            }
            try audit(db, context: context, action: "payments.unassign", entity: "payment", key: String(id), detail: reason)
            return try Self.payment(id, db)
        }
    }
}
