import Foundation
import InvoiceFeed
import SubletDomain
import SubletStorage

/// What importing one payment file did.
public struct PaymentImportResult: Sendable, Equatable {
    public var file: String
    public var format: IncomingPayment.Format
    public var outcome: PaymentImportOutcome
    /// Entries read but not payments (debits), in words.
    public var skipped: [String]
}

/// How far a file's import has come: the parser's bytes of the file's, and the items stored.
public struct FileProgress: Sendable, Equatable {
    public var parsedBytes: Int
    public var size: Int
    public var items: Int
}

// Incoming payments: import, the ledger, the queue, debts, reminders and the forfeiture watch.
extension SubletApp {
    public var paymentMatcher: PaymentMatcher { PaymentMatcher(lengthDigit: settings.notices.ocrLengthDigit) }

    /// Imports one camt.054 or BgMax file in one transaction (the same file again is a no-op).
    /// Throws `FeedError` or `PaymentFileError` when the file is rejected; nothing is stored then.
    public func importPayments(file path: String, progress: (FileProgress) -> Void = { _ in }) throws -> PaymentImportResult {
        try importPayments(try SafeFile.open(path, maximumBytes: settings.feedLimits.maximumFileBytes), progress: progress)
    }

    /// Imports a file already opened with `SafeFile.open`; `progress` hears after each batch stored.
    public func importPayments(_ file: SafeFile, progress: (FileProgress) -> Void = { _ in }) throws -> PaymentImportResult {
        let (digest, bytes) = try InvoiceIngest.sha256(file)
        let reader = PaymentFileReader(payeeBankgiro: settings.payee.bankgiro.digits, limits: settings.feedLimits)
        let format = try reader.format(of: file)
        var summary: PaymentFileReader.Summary?
        let outcome = try database.importPayments(
            format: format, record: InboundFile(name: file.displayName, sha256: digest, bytes: bytes), matcher: paymentMatcher,
            policy: settings.payments.overpayment, context: context
        ) { prepare, store in
            var stored = 0
            summary = try reader.read(file, whileParsing: prepare) { batch in
                try store(batch)
                stored += batch.count
                progress(FileProgress(parsedBytes: file.parsedBytes, size: file.size, items: stored))
            }
        }
        return PaymentImportResult(file: file.displayName, format: format, outcome: outcome, skipped: summary?.skipped ?? [])
    }

    /// What the daemon took in from its inbox.
    public enum InboundOutcome: Sendable {
        case invoices(IngestOutcome)
        case payments(PaymentImportResult)
    }

    /// Takes in one file from the inbox: opened once, told apart by its content (a payment file
    /// by the camt.054 namespace or the BgMax start record; anything else is read as invoices).
    public func takeIn(file path: String) throws -> InboundOutcome {
        let file = try SafeFile.open(path, maximumBytes: settings.feedLimits.maximumFileBytes)
        if PaymentFileReader.isPaymentFile(file) { return .payments(try importPayments(file)) }
        return .invoices(try InvoiceIngest(database: database, configuration: settings).ingest(file, context: context))
    }

    public func payments(period: BillingPeriod? = nil, state: StoredPayment.State? = nil) throws -> [StoredPayment] {
        try database.payments(period: period, state: state)
    }

    public func payment(id: Int64) throws -> StoredPayment { try database.payment(id: id) }

    public func unidentifiedPayments() throws -> [(payment: StoredPayment, suggestions: [PaymentSuggestion])] {
        try database.unidentifiedPayments(matcher: paymentMatcher, today: clock.today)
    }

    public func assignPayment(_ id: Int64, notice: String?, contract: String?) throws -> StoredPayment {
        try database.assignPayment(id, notice: notice, contract: contract, policy: settings.payments.overpayment, context: context)
    }

    public func returnPayment(_ id: Int64, reason: String) throws -> StoredPayment {
        try database.returnPayment(id, reason: reason, context: context)
    }

    public func unassignPayment(_ id: Int64, reason: String) throws -> StoredPayment {
        try database.unassignPayment(id, reason: reason, context: context)
    }

    public func ledger(contract: String) throws -> [LedgerLine] { try database.ledger(contract: contract) }

    /// Notices with something owed on `asOf` (default today), due on or before it.
    public func debts(district: String? = nil, asOf: CalendarDate? = nil) throws -> [OwedNotice] {
        try database.owedNotices(dueBy: asOf ?? clock.today, district: district)
    }

    /// The notices on the forfeiture list on `date` (default today): unpaid on the first bank day
    /// after due date + 7 days.
    public func forfeitureList(district: String? = nil, on date: CalendarDate? = nil) throws -> [OwedNotice] {
        let day = date ?? clock.today
        return try database.owedNotices(dueBy: day.adding(days: -8), district: district).filter {
            ForfeitureWatch.isWatched(balance: $0.balance, dueDate: $0.dueDate, on: day)
        }
    }

    public func recordForfeitureNotice(_ notice: String, on date: CalendarDate) throws -> OwedNotice {
        try database.recordForfeitureNotice(notice, on: date, context: context)
    }
}
