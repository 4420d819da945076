import GRDB
import SubletDomain

extension SubletDatabase {
    /// Puts money standing as credit on contracts to work (issue #9 §2): each payment's credit on a
    /// contract pays the contract's open notices, oldest due date first; what is left stays credit,
    /// or, once the contract has ended (or `policy` is `refund`), becomes a refund like today's.
    /// New rows only: the credit is taken back by a row with the opposite amount. Returns the
    /// number of credits moved.
    @discardableResult
    public func applyCredits(policy: OverpaymentPolicy, context: ChangeContext) throws -> Int {
        try write { db in
            let credits = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.paymentId, a.contractId, sum(a.amount), c.endDate FROM paymentApplication a JOIN contract c ON c.id = a.contractId
                    WHERE a.kind = 'credit' GROUP BY a.paymentId, a.contractId HAVING sum(a.amount) > 0
                    """)
            guard !credits.isEmpty else { return 0 }
            let register = try PaymentRegister(db, today: context.today)
            var moved = 0
            for row in credits {
                let table = "paymentApplication"
                let payment: Int64 = try row.value(at: 0, "paymentId", in: table)
                let contract: Int64 = try row.value(at: 1, "contractId", in: table)
                let credit = Money(ore: try row.value(at: 2, "credit", in: table))
                let end: CalendarDate? = try row.value(at: 3, "contract.endDate", in: table)
                let open = register.openNotices(contractID: contract)
                if let failure = register.failure { throw failure }
                let ended = PaymentAllocation.policy(policy, contractEnd: end, today: context.today) == .refund
                guard !open.isEmpty || ended else { continue }
                var parts: [Application] = []
                if let oldest = open.first {
                    parts = try PaymentAllocation.allocate(credit, named: oldest, open: open, policy: ended ? .refund : .nextNotice)
                } else {
                    parts = [Application(kind: .refund, noticeID: nil, amount: credit)]
                }
                // A credit that stays credit is not moved at all.
                guard parts != [Application(kind: .credit, noticeID: nil, amount: credit)] else { continue }
                try apply(
                    Application(kind: .credit, noticeID: nil, amount: Money(ore: -credit.ore)), payment: payment, contractID: contract,
                    reason: ended ? "kontraktet har upphört" : "tillgodo till öppna avier", context: context, db)
                for part in parts {
                    try apply(part, payment: payment, contractID: contract, reason: "tillgodo", context: context, db)
                }
                register.applied(parts, named: nil, open: open)
                try audit(
                    db, context: context, action: "payments.credit", entity: "payment", key: String(payment), contractID: contract,
                    detail: parts.map { "\($0.kind.rawValue) \($0.amount.plain)" }.joined(separator: ", "))
                moved += 1
            }
            return moved
        }
    }
}
