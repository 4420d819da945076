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

    /// "83850 ocr, 946 repaired, 344 payer, 0 unidentified": every tier, in order.
    public var tiers: String { PaymentMatch.Tier.allCases.map { "\(byTier[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") }
}

extension SubletDatabase {
    /// Imports one payment file in one transaction: known content is a no-op, a payment already
    /// stored (its bank key) is counted and skipped, every other payment is stored with the tier
    /// that matched it, and tier 1 payments are applied at once (`PaymentAllocation`).
    public func importPayments(
        _ file: PaymentFile, record: InboundFile, matcher: PaymentMatcher, policy: OverpaymentPolicy, context: ChangeContext
    ) throws -> PaymentImportOutcome {
        try importPayments(format: file.format, record: record, matcher: matcher, policy: policy, context: context) { prepare, store in
            try prepare()
            try store(file.payments)
        }
    }

    /// Imports a file whose payments `payments` streams in batches to the second closure it is
    /// given, after calling the first (which loads the register: a reader parsing on its own
    /// thread calls it while it parses); anything it throws (a rejected file) rolls the whole
    /// file back.
    public func importPayments(
        format: IncomingPayment.Format, record: InboundFile, matcher: PaymentMatcher, policy: OverpaymentPolicy, context: ChangeContext,
        payments: (_ prepare: () throws -> Void, _ store: ([IncomingPayment]) throws -> Void) throws -> Void
    ) throws -> PaymentImportOutcome {
        // Tier 3's tenants load on another connection while this one loads the open notices
        // (a file database; an in-memory one has a single connection).
        let tenants = (writer as? DatabasePool).map(TenantIndex.Ahead.init(reading:))
        return try write { db in
            var outcome = PaymentImportOutcome()
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM paymentFile WHERE sha256 = ?", arguments: [record.sha256]) == true {
                outcome.alreadyImported = true
                return outcome
            }
            try db.execute(
                sql: "INSERT INTO paymentFile (sha256, name, format, bytes, receivedAt, receivedBy) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [record.sha256, record.name, format.rawValue, record.bytes, context.timestamp, context.actor])
            // The file is read once and the notices streamed once: a smaller page cache for this
            // transaction keeps the process under its memory budget (docs/performance.md).
            try db.execute(sql: "PRAGMA cache_size = -8192")
            defer { try? db.execute(sql: "PRAGMA cache_size = -65536") }
            var store = try PaymentStore(db: db, fileID: db.lastInsertedRowID, context: context)
            // Loaded (with the tenants) by `prepare`, while the parser's thread reads the file.
            var loaded: PaymentRegister?
            func register() throws -> PaymentRegister {
                if let loaded { return loaded }
                let register = try PaymentRegister(db, today: context.today)
                register.repairsFromMemoryOnly = true
                register.tenantsAhead = tenants
                register.warmTenants()
                loaded = register
                return register
            }
            var seen: Set<String> = []
            // A BgMax key holds its payment date: on a day with no BgMax payment stored, no key
            // of the file can be known (a camt.054 key is the bank's reference alone).
            var storedOn: [CalendarDate: Bool] = [:]
            func mayBeKnown(_ payment: IncomingPayment) throws -> Bool {
                guard payment.format == .bgmax else { return true }
                if let stored = storedOn[payment.paymentDate] { return stored }
                let stored =
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM payment WHERE paymentDate = ? AND format = 'bgmax' LIMIT 1", arguments: [payment.paymentDate])
                    ?? false
                storedOn[payment.paymentDate] = stored
                return stored
            }
            try payments({ _ = try register() }) { batch in
                let register = try register()
                for chunk in Self.chunks(batch, of: 500) {
                    let known = try Self.knownBankKeys(try chunk.filter(mayBeKnown).map(\.bankKey), db)
                    for payment in chunk {
                        guard seen.insert(payment.bankKey).inserted, !known.contains(payment.bankKey) else {
                            outcome.duplicates += 1
                            continue
                        }
                        let match = matcher.match(payment, in: register)
                        if let failure = register.failure { throw failure }
                        let paymentID = try store.add(payment, tier: match.tier)
                        outcome.payments += 1
                        outcome.byTier[match.tier, default: 0] += 1
                        outcome.total = try outcome.total + payment.amount
                        guard let notice = match.notice else { continue }
                        // Other notices matter only when the payment is more than the named one owes.
                        let open = payment.amount > notice.balance ? register.openNotices(contractID: notice.contractID) : []
                        let rule = PaymentAllocation.policy(policy, contractEnd: notice.contractEnd, today: context.today)
                        for part in try PaymentAllocation.allocate(payment.amount, named: notice, open: open, policy: rule) {
                            if part.kind == .refund {
                                try store.flush()
                                try apply(part, payment: paymentID, contractID: notice.contractID, reason: nil, context: context, db)
                            } else {
                                try store.apply(part, payment: paymentID, contractID: notice.contractID)
                            }
                            if let id = part.noticeID { register.applied(part.amount, toNotice: id) }
                            if part.kind == .notice {
                                outcome.applied = try outcome.applied + part.amount
                            } else {
                                outcome.credited = try outcome.credited + part.amount
                            }
                        }
                    }
                }
            }
            try store.flush()
            try audit(
                db, context: context, action: "payments.import", entity: "file", key: record.name,
                detail:
                    "\(outcome.payments) payment(s), \(outcome.duplicates) duplicate(s), "
                    + PaymentMatch.Tier.allCases.map { "\($0.rawValue) \(outcome.byTier[$0] ?? 0)" }.joined(separator: ", ")
                    + "; sha256 \(record.sha256)")
            return outcome
        }
    }

    static func chunks<T>(_ items: [T], of size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }

    /// Which of `keys` are stored already (one query per chunk).
    static func knownBankKeys(_ keys: [String], _ db: Database) throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        return Set(
            try String.fetchAll(db, sql: "SELECT bankKey FROM payment WHERE bankKey IN (\(placeholders))", arguments: StatementArguments(keys)))
    }

    /// Writes one application; a refund also gets its refund document.
    func apply(_ part: Application, payment: Int64, contractID: Int64?, reason: String?, context: ChangeContext, _ db: Database) throws {
        var refundID: Int64?
        if part.kind == .refund, let contractID {
            let refund = RefundDraft(
                number: try Self.nextNumber(db, .refunds(context.today.year)), contractID: contractID, amount: part.amount, noticeID: nil,
                text: "Överbetalning att återbetala (betalning \(payment))")
            refundID = try Self.insertRefund(refund, period: context.today.period, createdOn: context.today, context: context, db)
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

/// Writes a file's payments and their applications, many rows per statement; payments first, so
/// that the applications' references to them hold.
struct PaymentStore {
    let db: Database
    let fileID: Int64
    let context: ChangeContext
    private var nextID: Int64
    private var payments: BulkInsert
    private var applications: BulkInsert

    init(db: Database, fileID: Int64, context: ChangeContext) throws {
        self.db = db
        self.fileID = fileID
        self.context = context
        nextID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM payment") ?? 0) + 1
        payments = BulkInsert(
            db, table: "payment",
            columns: [
                "id", "fileId", "bankKey", "format", "amount", "currency", "paymentDate", "valueDate", "reference", "referenceVerified", "text",
                "payerName", "payerId", "reversal", "sourceLine", "tier",
            ], rowsPerStatement: nil)
        applications = BulkInsert(
            db, table: "paymentApplication", columns: ["paymentId", "contractId", "noticeId", "kind", "amount", "createdAt", "createdBy"],
            rowsPerStatement: nil)
    }

    mutating func add(_ payment: IncomingPayment, tier: PaymentMatch.Tier) throws -> Int64 {
        let id = nextID
        nextID += 1
        payments.bind(id)
        payments.bind(fileID)
        payments.bind(payment.bankKey)
        payments.bind(payment.format.rawValue)
        payments.bind(payment.amount.ore)
        payments.bind(payment.currency)
        payments.bind(payment.paymentDate.description)
        payments.bind(payment.valueDate?.description)
        payments.bind(payment.references.isEmpty ? nil : payment.references.joined(separator: " "))
        payments.bind(payment.referenceVerified ? 1 : 0)
        payments.bind(payment.text)
        payments.bind(payment.payerName)
        payments.bind(payment.payerID)
        payments.bind(payment.isReversal ? 1 : 0)
        payments.bind(payment.line)
        payments.bind(tier.rawValue)
        try payments.endRow()
        if payments.pendingRows >= 100 { try flush() }
        return id
    }

    mutating func apply(_ part: Application, payment: Int64, contractID: Int64) throws {
        applications.bind(payment)
        applications.bind(contractID)
        applications.bind(part.noticeID)
        applications.bind(part.kind.rawValue)
        applications.bind(part.amount.ore)
        applications.bind(context.timestamp)
        applications.bind(context.actor)
        try applications.endRow()
    }

    mutating func flush() throws {
        try payments.flush()
        try applications.flush()
    }
}
