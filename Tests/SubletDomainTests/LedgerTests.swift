import PropertyBased
import SubletDomain
import Testing

@Suite struct LedgerTests {
    @Test(
        arguments: [
            (785_000, 0, NoticeStatus.open), (785_000, 100, .partlyPaid), (785_000, 784_999, .partlyPaid), (785_000, 785_000, .paid),
            (785_000, 785_001, .overpaid), (0, 0, .paid), (0, 100, .overpaid), (-5_000, 0, .overpaid), (785_000, -100, .partlyPaid),
        ] as [(Int, Int, NoticeStatus)])
    func statusFollowsBilledAndApplied(billed: Int, applied: Int, status: NoticeStatus) {
        #expect(NoticeStatus(billed: Money(ore: billed), applied: Money(ore: applied)) == status)
    }

    @Test func anOverpaymentGoesToTheOldestOpenNoticeThenCredit() throws {
        let named = account(3, due: "2026-11-30")
        let older = account(1, balance: Money(kronor: 100), due: "2026-09-30")
        let old = account(2, balance: Money(kronor: 200), due: "2026-10-30")
        let parts = try PaymentAllocation.allocate(Money(kronor: 8_000), named: named, open: [old, older, named], policy: .nextNotice)
        #expect(
            parts == [
                Application(kind: .notice, noticeID: 3, amount: Money(kronor: 7_850)),
                Application(kind: .notice, noticeID: 1, amount: Money(kronor: 100)),
                Application(kind: .notice, noticeID: 2, amount: Money(kronor: 50)),
            ])
        let refund = try PaymentAllocation.allocate(Money(kronor: 8_000), named: named, open: [old, older, named], policy: .refund)
        #expect(
            refund == [
                Application(kind: .notice, noticeID: 3, amount: Money(kronor: 7_850)),
                Application(kind: .refund, noticeID: nil, amount: Money(kronor: 150)),
            ])
    }

    @Test func aPaymentOnAPaidNoticeIsCredit() throws {
        let paid = account(3, balance: .zero)
        #expect(
            try PaymentAllocation.allocate(Money(kronor: 10), named: paid, open: [], policy: .nextNotice) == [
                Application(kind: .credit, noticeID: nil, amount: Money(kronor: 10))
            ])
    }

    /// The parts add up to the payment, and no notice gets more than it owes.
    @Test func allocationKeepsEveryÖre() async {
        await propertyCheck(
            input: Gen.int(in: 1...2_000_000), Gen.int(in: 0...1_000_000), Gen.int(in: 0...1_000_000), Gen.int(in: 0...1_000_000), Gen.bool
        ) { amount, first, second, third, refund in
            let named = account(1, balance: Money(ore: first), due: "2026-11-30")
            let others = [account(2, balance: Money(ore: second), due: "2026-09-30"), account(3, balance: Money(ore: third), due: "2026-10-30")]
            let parts = try PaymentAllocation.allocate(Money(ore: amount), named: named, open: others, policy: refund ? .refund : .nextNotice)
            #expect(parts.reduce(0) { $0 + $1.amount.ore } == amount)
            for notice in [named] + others {
                #expect(parts.filter { $0.noticeID == notice.noticeID }.reduce(0) { $0 + $1.amount.ore } <= notice.balance.ore)
            }
            #expect(parts.allSatisfy { $0.amount.ore > 0 })
        }
    }

    @Test(arguments: [(0, DebtAge.upTo30), (30, .upTo30), (31, .upTo60), (60, .upTo60), (61, .upTo90), (90, .upTo90), (91, .over90)])
    func debtAges(days: Int, age: DebtAge) {
        #expect(DebtAge(daysPastDue: days) == age)
    }

    /// The first bank day after due date + 7 days: weekends, Easter, midsummer and Christmas.
    @Test(arguments: [
        ("2026-11-30", "2026-12-08"),  // Monday + 8 = Tuesday
        ("2026-11-27", "2026-12-07"),  // Friday + 8 = Saturday → Monday
        ("2026-03-30", "2026-04-07"),  // + 8 = Tuesday 7 April (Easter Monday is 6 April)
        ("2026-03-29", "2026-04-07"),  // + 8 = Easter Monday → Tuesday
        ("2026-06-11", "2026-06-22"),  // + 8 = midsummer eve 19 June → Monday 22
        ("2026-12-16", "2026-12-28"),  // + 8 = Christmas eve → 28 December
        ("2026-12-23", "2027-01-04"),  // + 8 = New Year's Eve → Monday 4 January
    ])
    func forfeitureWatchDate(due: String, watch: String) throws {
        let date = ForfeitureWatch.watchDate(dueDate: try #require(CalendarDate(due)))
        #expect(date == CalendarDate(watch))
        #expect(ForfeitureWatch.isWatched(balance: Money(ore: 1), dueDate: CalendarDate(due)!, on: date))
        #expect(!ForfeitureWatch.isWatched(balance: Money(ore: 1), dueDate: CalendarDate(due)!, on: date.adding(days: -1)))
        #expect(!ForfeitureWatch.isWatched(balance: .zero, dueDate: CalendarDate(due)!, on: date))
        #expect(ForfeitureWatch.recoveryDeadline(notifiedOn: date) == date.adding(days: 21))
    }
}

@Suite struct EndedContractTests {
    /// Money left over on a contract that has ended has no next notice to go to: it is refunded.
    @Test(
        arguments: [
            (nil, OverpaymentPolicy.nextNotice, OverpaymentPolicy.nextNotice), ("2027-03-31", .nextNotice, .nextNotice),
            ("2026-11-26", .nextNotice, .nextNotice), ("2026-11-25", .nextNotice, .refund), ("2026-11-25", .refund, .refund),
        ] as [(String?, OverpaymentPolicy, OverpaymentPolicy)])
    func endedContractsRefund(end: String?, configured: OverpaymentPolicy, expected: OverpaymentPolicy) {
        #expect(PaymentAllocation.policy(configured, contractEnd: end.flatMap { CalendarDate($0) }, today: CalendarDate("2026-11-26")!) == expected)
    }
}
