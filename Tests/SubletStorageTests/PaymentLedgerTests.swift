import Foundation
import PropertyBased
import SubletDomain
import SubletStorage
import Testing

/// The ledger's law: whatever happens to payments, a contract's balance is what it was billed
/// less what was paid on it (to its notices or as credit), and no notice's balance is edited.
@Suite struct PaymentLedgerTests {
    /// Three contracts with notices for three months.
    static func register() throws -> (SubletDatabase, [Notice]) {
        let database = try SubletDatabase.withDistrict()
        for rent in ["7850", "6000", "4321.50"] {
            _ = try database.addContract(.fixture(start: "2026-09-01", rent: rent), context: .fixture(today: "2026-08-20"))
        }
        for (period, issued) in [("2026-10", "2026-09-20"), ("2026-11", "2026-10-20"), ("2026-12", "2026-11-20")] {
            _ = try database.issueRegularNotices(.fixture(period: period, issued: issued), context: .fixture(today: issued))
        }
        return (database, try database.notices())
    }

    @Test func aContractsBalanceIsBilledLessPaidWhateverHappens() async throws {
        await propertyCheck(count: 25, input: Gen.int(in: 0...Int(UInt32.max)), Gen.bool) { seed, refund in
            var random = SeededRandom(seed: UInt64(seed))
            let (database, notices) = try Self.register()
            let matcher = PaymentMatcher(lengthDigit: true)
            var payments: [IncomingPayment] = []
            for index in 0..<Int.random(in: 3...12, using: &random) {
                let notice = notices.randomElement(using: &random)!
                let reference =
                    switch Int.random(in: 0...3, using: &random) {
                    case 0: "12345"  // nobody's
                    case 1: String(notice.ocr.reversed())  // a typo
                    default: notice.ocr
                    }
                payments.append(
                    IncomingPayment(
                        format: .camt054, bankKey: "k\(index)", amount: Money(ore: Int.random(in: 1...1_200_000, using: &random)), currency: "SEK",
                        paymentDate: CalendarDate("2026-11-27")!, references: [reference]))
            }
            _ = try database.importPayments(
                PaymentFile(format: .camt054, payments: payments), record: InboundFile(name: "f", sha256: "s\(seed)", bytes: 1),
                matcher: matcher,
                policy: refund ? .refund : .nextNotice, context: .fixture())
            // Some of the queue assigned by hand, some of what was applied undone.
            for payment in try database.payments() where Bool.random(using: &random) {
                if payment.unapplied.ore > 0 {
                    _ = try database.assignPayment(
                        payment.id, notice: nil, contract: notices.randomElement(using: &random)!.contractNumber, policy: .nextNotice,
                        context: .fixture())
                } else if payment.tier != .ocr || Bool.random(using: &random) {
                    _ = try? database.unassignPayment(payment.id, reason: "test", context: .fixture())
                }
            }
            var applications: [StoredApplication] = []
            for payment in try database.payments() { applications += try database.payment(id: payment.id).applications }
            for contract in Set(notices.map(\.contractNumber)) {
                let billed = notices.filter { $0.contractNumber == contract }.reduce(0) { $0 + $1.total.ore }
                let ledger = try database.ledger(contract: contract)
                let paid = applications.filter { $0.contract == contract && ($0.kind == "notice" || $0.kind == "credit") }
                    .reduce(0) { $0 + $1.amount.ore }
                #expect(ledger.last?.balance.ore == billed - paid, "contract \(contract)")
                let owed = try database.owedNotices(dueBy: CalendarDate("2027-12-31")!).filter { $0.contract == contract }
                #expect(owed.allSatisfy { $0.balance.ore > 0 && $0.balance <= $0.total })
            }
            // Every payment's money is somewhere: placed, or still in the queue.
            for payment in try database.payments() {
                let shown = try database.payment(id: payment.id)
                #expect(shown.applications.reduce(0) { $0 + $1.amount.ore } + shown.unapplied.ore == shown.amount.ore)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) so a failing history can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct CreditTests {
    /// One contract until 2026-12-31 with its October notice (7 850 kr), overpaid by 1 000 kr.
    static func overpaid() throws -> (SubletDatabase, Notice) {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(start: "2026-10-01", end: "2026-12-31"), context: .fixture(today: "2026-09-10"))
        _ = try database.issueRegularNotices(.fixture(period: "2026-10", issued: "2026-09-20"), context: .fixture(today: "2026-09-20"))
        let notice = try #require(try database.notices().first)
        let payment = IncomingPayment(
            format: .camt054, bankKey: "k1", amount: Money(kronor: 8_850), currency: "SEK", paymentDate: CalendarDate("2026-09-28")!,
            references: [notice.ocr])
        _ = try database.importPayments(
            PaymentFile(format: .camt054, payments: [payment]), record: InboundFile(name: "f", sha256: "s", bytes: 1),
            matcher: PaymentMatcher(lengthDigit: true), policy: .nextNotice, context: .fixture(today: "2026-09-28"))
        return (database, notice)
    }

    @Test func creditPaysTheNextNotice() throws {
        let (database, _) = try Self.overpaid()
        #expect(try database.ledger(contract: "AH-000001").last?.balance == Money(kronor: -1_000))
        _ = try database.issueRegularNotices(.fixture(period: "2026-11", issued: "2026-10-20"), context: .fixture(today: "2026-10-20"))
        #expect(try database.applyCredits(policy: .nextNotice, context: .fixture(today: "2026-10-20")) == 1)
        let owed = try database.owedNotices(dueBy: CalendarDate("2026-12-31")!)
        #expect(owed.map(\.balance) == [Money(kronor: 6_850)], "the November notice, less the credit")
        #expect(try database.ledger(contract: "AH-000001").last?.balance == Money(kronor: 6_850))
        #expect(try database.applyCredits(policy: .nextNotice, context: .fixture(today: "2026-10-21")) == 0, "nothing left to move")
    }

    @Test func creditOnAnEndedContractIsRefunded() throws {
        let (database, _) = try Self.overpaid()
        #expect(try database.applyCredits(policy: .nextNotice, context: .fixture(today: "2026-12-15")) == 0, "still running, nothing owed")
        #expect(try database.applyCredits(policy: .nextNotice, context: .fixture(today: "2027-01-05")) == 1)
        let refunds = try database.refunds()
        #expect(refunds.map(\.amount) == [Money(kronor: 1_000)])
        #expect(try database.ledger(contract: "AH-000001").last?.balance == .zero)
    }
}
