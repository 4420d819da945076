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
        let pool = writer as? DatabasePool
        return try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM paymentFile WHERE sha256 = ?", arguments: [record.sha256]) == true {
                var outcome = PaymentImportOutcome()
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
            var store = PaymentStore(db: db, fileID: db.lastInsertedRowID)
            // The register's open notices load in `prepare`, while the parser's thread reads the
            // file. A BgMax parser is quick (a few tenths of the matching's time) and reads ahead
            // while they load, so its matching takes the core the parser leaves: a thread of its
            // own, reading what the register does not hold through a read-only connection, while
            // this connection writes. A camt.054 parser needs its core throughout: matching runs
            // here, as it does for an in-memory database.
            var worker: OrderedWorker<(ArraySlice<IncomingPayment>, Set<String>), PreparedChunk>?
            var tally: PaymentPreparer.Tally?
            func start() throws -> OrderedWorker<(ArraySlice<IncomingPayment>, Set<String>), PreparedChunk> {
                if let worker { return worker }
                let register = try PaymentRegister(db, today: context.today)
                register.repairsFromMemoryOnly = true
                let matching = PaymentPreparer(
                    register: register, matcher: matcher, policy: policy, context: context, fileID: store.fileID, firstID: try store.firstID())
                let started: OrderedWorker<(ArraySlice<IncomingPayment>, Set<String>), PreparedChunk>
                if let pool, format == .bgmax {
                    // The matching thread reads through one read-only connection, in one read
                    // transaction, for the whole file; it ends before this connection commits.
                    started = OrderedWorker(
                        threaded: true,
                        around: { work in
                            try pool.read { reader in
                                try reader.execute(sql: "PRAGMA cache_size = -8192")
                                defer { try? reader.execute(sql: "PRAGMA cache_size = -65536") }
                                matching.reading(through: reader, work)
                            }
                        }
                    ) { chunk, known in try matching.prepare(chunk, known: known) }
                } else {
                    started = OrderedWorker(threaded: false) { chunk, known in try matching.prepare(chunk, known: known) }
                }
                tally = matching.tally
                worker = started
                return started
            }
            defer { worker?.cancel() }
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
            func write(_ prepared: [PreparedChunk]) throws {
                for chunk in prepared {
                    try store.add(chunk)
                    guard !chunk.refunds.isEmpty else { continue }
                    try store.flush()
                    for refund in chunk.refunds {
                        try apply(refund.part, payment: refund.payment, contractID: refund.contractID, reason: nil, context: context, db)
                    }
                }
            }
            try payments({ _ = try start() }) { batch in
                let worker = try start()
                for chunk in Self.chunks(batch, of: 500) {
                    let known = try Self.knownBankKeys(try chunk.filter(mayBeKnown).map(\.bankKey), db)
                    try write(try worker.submit((chunk, known)))
                }
            }
            if let worker { try write(try worker.finish()) }
            try store.flush()
            let outcome = tally?.outcome ?? PaymentImportOutcome()
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
/// that the applications' references to them hold. Their values are made on the matching thread
/// (`row(_:id:fileID:tier:into:)`, `row(_:payment:contractID:context:into:)`).
struct PaymentStore {
    static let paymentColumns = [
        "id", "fileId", "bankKey", "format", "amount", "currency", "paymentDate", "valueDate", "reference", "referenceVerified", "text",
        "payerName", "payerId", "reversal", "sourceLine", "tier",
    ]
    static let applicationColumns = ["paymentId", "contractId", "noticeId", "kind", "amount", "createdAt", "createdBy"]

    let db: Database
    let fileID: Int64
    private var payments: BulkInsert
    private var applications: BulkInsert

    init(db: Database, fileID: Int64) {
        self.db = db
        self.fileID = fileID
        payments = BulkInsert(db, table: "payment", columns: Self.paymentColumns, rowsPerStatement: nil)
        applications = BulkInsert(db, table: "paymentApplication", columns: Self.applicationColumns, rowsPerStatement: nil)
    }

    /// The id the file's first payment gets (the store assigns them, so that applications can
    /// name their payment before it is written).
    func firstID() throws -> Int64 { (try Int64.fetchOne(db, sql: "SELECT max(id) FROM payment") ?? 0) + 1 }

    /// `paymentDate`: the payment's date as text.
    static func row(
        _ payment: IncomingPayment, id: Int64, fileID: Int64, tier: PaymentMatch.Tier, paymentDate: String, into rows: inout BulkInsert.Rows
    ) {
        rows.bind(id)
        rows.bind(fileID)
        rows.bind(payment.bankKey)
        rows.bind(payment.format.rawValue)
        rows.bind(payment.amount.ore)
        rows.bind(payment.currency)
        rows.bind(paymentDate)
        rows.bind(payment.valueDate?.description)
        rows.bind(payment.references.isEmpty ? nil : payment.references.joined(separator: " "))
        rows.bind(payment.referenceVerified ? 1 : 0)
        rows.bind(payment.text)
        rows.bind(payment.payerName)
        rows.bind(payment.payerID)
        rows.bind(payment.isReversal ? 1 : 0)
        rows.bind(payment.line)
        rows.bind(tier.rawValue)
        rows.endRow()
    }

    static func row(_ part: Application, payment: Int64, contractID: Int64, context: ChangeContext, into rows: inout BulkInsert.Rows) {
        rows.bind(payment)
        rows.bind(contractID)
        rows.bind(part.noticeID)
        rows.bind(part.kind.rawValue)
        rows.bind(part.amount.ore)
        rows.bind(context.timestamp)
        rows.bind(context.actor)
        rows.endRow()
    }

    /// A chunk's payments, then its applications (written after the payments they name).
    mutating func add(_ chunk: PreparedChunk) throws {
        try payments.insert(chunk.payments)
        try applications.insert(chunk.applications)
    }

    mutating func flush() throws {
        try payments.flush()
        try applications.flush()
    }
}
