import GRDB
import SubletDomain

/// What one payment file did.
public struct PaymentImportOutcome: Sendable, Equatable {
    public var alreadyImported = false
    public var payments = 0
    /// Payments reported before, in this file or another (the same bank key): stored once.
    public var duplicates = 0
    public var byTier: [PaymentMatch.Tier: Int] = [:]
    public var applied = Money.zero
    public var credited = Money.zero
    public var total = Money.zero

    public init() {}
}

/// A payment file as received, for the record.
public struct PaymentFileRecord: Sendable {
    public var name: String
    public var sha256: String
    public var bytes: Int

    public init(name: String, sha256: String, bytes: Int) {
        self.name = name
        self.sha256 = sha256
        self.bytes = bytes
    }
}

extension SubletDatabase {
    /// Imports one payment file in one transaction: known content is a no-op, a payment already
    /// stored (its bank key) is counted and skipped, every other payment is stored with the tier
    /// that matched it, and tier 1 payments are applied at once (`PaymentAllocation`).
    public func importPayments(
        _ file: PaymentFile, record: PaymentFileRecord, matcher: PaymentMatcher, policy: OverpaymentPolicy, context: ChangeContext
    ) throws -> PaymentImportOutcome {
        try write { db in
            var outcome = PaymentImportOutcome()
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM paymentFile WHERE sha256 = ?", arguments: [record.sha256]) == true {
                outcome.alreadyImported = true
                return outcome
            }
            try db.execute(
                sql: "INSERT INTO paymentFile (sha256, name, format, bytes, receivedAt, receivedBy) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [record.sha256, record.name, file.format.rawValue, record.bytes, context.timestamp, context.actor])
            let fileID = db.lastInsertedRowID
            let register = try PaymentRegister(db)
            var seen: Set<String> = []
            for payment in file.payments {
                let known =
                    try Bool.fetchOne(
                        db.cachedStatement(sql: "SELECT 1 FROM payment WHERE bankKey = ?"), arguments: [payment.bankKey]) == true
                guard seen.insert(payment.bankKey).inserted, !known else {
                    outcome.duplicates += 1
                    continue
                }
                let match = matcher.match(payment, in: register)
                if let failure = register.failure { throw failure }
                let paymentID = try insert(payment, tier: match.tier, fileID: fileID, db)
                outcome.payments += 1
                outcome.byTier[match.tier, default: 0] += 1
                outcome.total = try outcome.total + payment.amount
                if let notice = match.notice {
                    let open = register.openNotices(contractID: notice.contractID)
                    let ocrs = Dictionary((open + [notice]).map { ($0.noticeID, $0.ocr) }, uniquingKeysWith: { first, _ in first })
                    for part in try PaymentAllocation.allocate(payment.amount, named: notice, open: open, policy: policy) {
                        try apply(part, payment: paymentID, contractID: notice.contractID, reason: nil, context: context, db)
                        if let ocr = part.noticeID.flatMap({ ocrs[$0] }) { register.applied(part.amount, to: ocr) }
                        if part.kind == .notice {
                            outcome.applied = try outcome.applied + part.amount
                        } else {
                            outcome.credited = try outcome.credited + part.amount
                        }
                    }
                }
            }
            try audit(
                db, context: context, action: "payments.import", entity: "file", key: record.name,
                detail:
                    "\(outcome.payments) payment(s), \(outcome.duplicates) duplicate(s), "
                    + PaymentMatch.Tier.allCases.map { "\($0.rawValue) \(outcome.byTier[$0] ?? 0)" }.joined(separator: ", ")
                    + "; sha256 \(record.sha256)")
            return outcome
        }
    }

    private func insert(_ payment: IncomingPayment, tier: PaymentMatch.Tier, fileID: Int64, _ db: Database) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO payment (fileId, bankKey, format, amount, currency, paymentDate, valueDate, reference, referenceVerified,
                                     text, payerName, payerId, reversal, sourceLine, tier)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            fileID, payment.bankKey, payment.format.rawValue, payment.amount.ore, payment.currency, payment.paymentDate, payment.valueDate,
            payment.references.isEmpty ? nil : payment.references.joined(separator: " "), payment.referenceVerified, payment.text,
            payment.payerName, payment.payerID, payment.isReversal, payment.line, tier.rawValue,
        ])
        return db.lastInsertedRowID
    }

    /// Writes one application; a refund also gets its refund document.
    func apply(_ part: Application, payment: Int64, contractID: Int64?, reason: String?, context: ChangeContext, _ db: Database) throws {
        var refundID: Int64?
        if part.kind == .refund, let contractID {
            let number = try Self.nextNumber(db, .refunds(context.today.year))
            try db.execute(
                sql: """
                    INSERT INTO refund (number, contractId, amount, period, createdOn, createdAt, noticeId, text)
                    VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                    """,
                arguments: [
                    number, contractID, part.amount.ore, context.today.period, context.today, context.timestamp,
                    "Överbetalning att återbetala (betalning \(payment))",
                ])
            refundID = db.lastInsertedRowID
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO paymentApplication (paymentId, contractId, noticeId, kind, amount, refundId, reason, createdAt, createdBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            payment, contractID, part.noticeID, part.kind.rawValue, part.amount.ore, refundID, reason, context.timestamp, context.actor,
        ])
    }
}
