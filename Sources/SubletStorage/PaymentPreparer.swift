import GRDB
import SubletDomain

/// One payment of a file as matching left it: its row id, its tier, and what to apply.
struct PreparedPayment: Sendable {
    var payment: IncomingPayment
    var id: Int64
    var tier: PaymentMatch.Tier
    /// The contract of the notice it names (tier 1), with the applications to write.
    var contractID: Int64?
    var parts: [Application]
}

/// The matching half of a payment import: drops the payments stored before (their bank keys),
/// matches the rest in file order against the register, allocates tier 1 payments, and gives
/// each payment its row id, keeping the register's balances and the outcome's tallies as it
/// goes. Writing is the import connection's half (`PaymentStore`). Used by one thread at a time:
/// the one `OrderedWorker` runs it on.
final class PaymentPreparer: @unchecked Sendable {
    private let register: PaymentRegister
    private let matcher: PaymentMatcher
    private let policy: OverpaymentPolicy
    private let today: CalendarDate
    private var nextID: Int64
    private var seen: Set<String> = []
    private(set) var outcome = PaymentImportOutcome()

    init(register: PaymentRegister, matcher: PaymentMatcher, policy: OverpaymentPolicy, today: CalendarDate, firstID: Int64) {
        self.register = register
        self.matcher = matcher
        self.policy = policy
        self.today = today
        nextID = firstID
    }

    /// `known`: which of the chunk's bank keys the database held before this file.
    func prepare(_ chunk: ArraySlice<IncomingPayment>, known: Set<String>) throws -> [PreparedPayment] {
        var prepared: [PreparedPayment] = []
        prepared.reserveCapacity(chunk.count)
        for payment in chunk {
            guard seen.insert(payment.bankKey).inserted, !known.contains(payment.bankKey) else {
                outcome.duplicates += 1
                continue
            }
            let match = matcher.match(payment, in: register)
            if let failure = register.failure { throw failure }
            var next = PreparedPayment(payment: payment, id: nextID, tier: match.tier, contractID: nil, parts: [])
            nextID += 1
            outcome.payments += 1
            outcome.byTier[match.tier, default: 0] += 1
            outcome.total = try outcome.total + payment.amount
            if let notice = match.notice {
                // Other notices matter only when the payment is more than the named one owes.
                let open = payment.amount > notice.balance ? register.openNotices(contractID: notice.contractID) : []
                if let failure = register.failure { throw failure }
                let rule = PaymentAllocation.policy(policy, contractEnd: notice.contractEnd, today: today)
                next.contractID = notice.contractID
                next.parts = try PaymentAllocation.allocate(payment.amount, named: notice, open: open, policy: rule)
                for part in next.parts {
                    if let id = part.noticeID { register.applied(part.amount, toNotice: id) }
                    if part.kind == .notice {
                        outcome.applied = try outcome.applied + part.amount
                    } else {
                        outcome.credited = try outcome.credited + part.amount
                    }
                }
                if let failure = register.failure { throw failure }
            }
            prepared.append(next)
        }
        return prepared
    }
}
