import GRDB
import SubletDomain

/// A chunk of a file's payments as matching left them, ready to write: the payment rows, the
/// rows of what was applied, and the refunds (which need their refund document written first).
struct PreparedChunk: Sendable {
    var payments: BulkInsert.Rows
    var applications: BulkInsert.Rows
    var refunds: [(part: Application, payment: Int64, contractID: Int64)] = []
}

/// The matching half of a payment import: drops the payments stored before (their bank keys),
/// matches the rest in file order against the register, allocates tier 1 payments, and gives
/// each payment its row id, keeping the register's balances and the outcome's tallies as it
/// goes, and makes the rows' values. Writing them is the import connection's half
/// (`PaymentStore`). Used by one thread at a time: the one `OrderedWorker` runs it on.
final class PaymentPreparer: @unchecked Sendable {
    private let register: PaymentRegister
    private let matcher: PaymentMatcher
    private let policy: OverpaymentPolicy
    private let context: ChangeContext
    private let fileID: Int64
    private var nextID: Int64
    private var seen: Set<String> = []
    /// The last payment date as its row has it (a file's payments share a few dates).
    private var lastDate = (date: CalendarDate(dayNumber: 0), text: CalendarDate(dayNumber: 0).description)
    /// What the file did so far; shared with the importing connection's thread, which reads it
    /// once matching has finished (the preparer itself, with the register, is freed where it
    /// ran).
    let tally = Tally()

    final class Tally: @unchecked Sendable {
        var outcome = PaymentImportOutcome()
    }

    private var outcome: PaymentImportOutcome {
        get { tally.outcome }
        _modify { yield &tally.outcome }
    }

    init(register: PaymentRegister, matcher: PaymentMatcher, policy: OverpaymentPolicy, context: ChangeContext, fileID: Int64, firstID: Int64) {
        self.register = register
        self.matcher = matcher
        self.policy = policy
        self.context = context
        self.fileID = fileID
        nextID = firstID
    }

    /// Runs `body` with the register reading through `reader` (a connection its thread holds),
    /// and nothing after it.
    func reading(through reader: Database, _ body: () -> Void) {
        register.source = .connection(reader)
        defer { register.source = .closed }
        body()
    }

    /// `known`: which of the chunk's bank keys the database held before this file.
    func prepare(_ chunk: ArraySlice<IncomingPayment>, known: Set<String>) throws -> PreparedChunk {
        var prepared = PreparedChunk(
            payments: BulkInsert.Rows(columns: PaymentStore.paymentColumns.count, capacity: chunk.count),
            applications: BulkInsert.Rows(columns: PaymentStore.applicationColumns.count, capacity: chunk.count))
        for payment in chunk {
            if seen.count == seen.capacity { seen.reserveCapacity(max(4_096, seen.count * 4)) }
            guard seen.insert(payment.bankKey).inserted, known.isEmpty || !known.contains(payment.bankKey) else {
                outcome.duplicates += 1
                continue
            }
            let match = matcher.match(payment, in: register)
            if let failure = register.failure { throw failure }
            let id = nextID
            nextID += 1
            if payment.paymentDate != lastDate.date { lastDate = (payment.paymentDate, payment.paymentDate.description) }
            PaymentStore.row(payment, id: id, fileID: fileID, tier: match.tier, paymentDate: lastDate.text, into: &prepared.payments)
            outcome.payments += 1
            outcome.byTier[match.tier, default: 0] += 1
            outcome.total = try outcome.total + payment.amount
            if let notice = match.notice {
                // Other notices matter only when the payment is more than the named one owes.
                let open = payment.amount > notice.balance ? register.openNotices(contractID: notice.contractID) : []
                if let failure = register.failure { throw failure }
                let rule = PaymentAllocation.policy(policy, contractEnd: notice.contractEnd, today: context.today)
                let parts = try PaymentAllocation.allocate(payment.amount, named: notice, open: open, policy: rule)
                register.applied(parts, named: notice, open: open)
                for part in parts {
                    if part.kind == .refund {
                        prepared.refunds.append((part, id, notice.contractID))
                    } else {
                        PaymentStore.row(part, payment: id, contractID: notice.contractID, context: context, into: &prepared.applications)
                    }
                    if part.kind == .notice {
                        outcome.applied = try outcome.applied + part.amount
                    } else {
                        outcome.credited = try outcome.credited + part.amount
                    }
                }
                if let failure = register.failure { throw failure }
            }
        }
        return prepared
    }
}
