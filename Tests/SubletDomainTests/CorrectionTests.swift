import PropertyBased
import SubletDomain
import Testing

private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func kr(_ text: String) -> Money { try! Money.parse(text, allowNegative: true) }
private func month(_ text: String) -> BillingPeriod { BillingPeriod(text)! }

@Suite struct CorrectionPlannerTests {
    /// Billed 8 300 a month Jan–Jul 2026 (rent 7 850 + parking 450), notices 2026-00000N.
    let billed: [BillingPeriod: MonthBilling] = Dictionary(
        uniqueKeysWithValues: (1...7).map { index in
            let period = BillingPeriod(year: 2026, month: index)!
            return (period, MonthBilling(period: period, notice: "2026-00000\(index)", billed: Money(kronor: 8300)))
        })
    let terms = ContractTerms(
        start: CalendarDate("2026-01-01")!, rent: Money(kronor: 7850), charges: [ChargeSpec(label: "P", amount: Money(kronor: 450))])

    @Test func aRentIncreaseFromMarchAffectsMarchToJuly() throws {
        let changed = try terms.applying(.rent(kr("8100"), from: date("2026-03-01")))
        let months = try CorrectionPlanner.months(
            before: terms, after: changed, billed: billed, firstNoticed: month("2026-01"), closedThrough: month("2026-07"), basis: .actualDays)
        #expect(months.map(\.period.description) == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"])
        #expect(months.allSatisfy { $0.difference == kr("250") && $0.notice != nil })
    }

    @Test func aLateMoveOutCreditsThePartAndTheWholeMonthsAfter() throws {
        let changed = try terms.applying(.end(date("2026-05-15")))
        let months = try CorrectionPlanner.months(
            before: terms, after: changed, billed: billed, firstNoticed: month("2026-01"), closedThrough: month("2026-07"), basis: .actualDays)
        #expect(months.map(\.period.description) == ["2026-05", "2026-06", "2026-07"])
        #expect(try months[0].correct == kr("7850").portion(15, of: 31) + kr("450").portion(15, of: 31))
        #expect(months[1].difference == kr("-8300"))
    }

    @Test func anEarlierStartBillsTheMonthsBeforeTheFirstNotice() throws {
        let changed = try terms.applying(.start(date("2025-12-10")))
        let months = try CorrectionPlanner.months(
            before: terms, after: changed, billed: billed, firstNoticed: month("2026-01"), closedThrough: month("2026-07"), basis: .actualDays)
        #expect(months.map(\.period.description) == ["2025-12"])
        #expect(months[0].notice == nil)
        #expect(months[0].billed == .zero)
        #expect(months[0].correct == kr("8300").portion(22, of: 31))
    }

    @Test func billedIncludesEarlierCorrectionsSoNothingIsBilledTwice() throws {
        var already = billed
        for index in 3...7 { try already[BillingPeriod(year: 2026, month: index)!]!.billed += kr("250") }
        let same = try terms.applying(.rent(kr("8100"), from: date("2026-03-01")))
        #expect(
            try CorrectionPlanner.months(
                before: terms, after: same, billed: already, firstNoticed: month("2026-01"), closedThrough: month("2026-07"), basis: .actualDays
            ).isEmpty)
        let more = try same.applying(.rent(kr("8200"), from: date("2026-05-01")))
        let months = try CorrectionPlanner.months(
            before: same, after: more, billed: already, firstNoticed: month("2026-01"), closedThrough: month("2026-07"), basis: .actualDays)
        #expect(months.map(\.difference) == [kr("100"), kr("100"), kr("100")])
    }

    @Test func aMonthRunWithoutTheContractIsBilledWhenTheContractTurnsOutActive() throws {
        // Ended 2026-04-30, so May–July had no notice; the end date is corrected to 2026-06-30.
        let ended = try terms.applying(.end(date("2026-04-30")))
        var billedToApril = billed.filter { $0.key <= month("2026-04") }
        billedToApril[month("2026-04")]!.billed = kr("8300")
        let extended = try ended.applying(.end(date("2026-06-30")))
        let months = try CorrectionPlanner.months(
            before: ended, after: extended, billed: billedToApril, firstNoticed: month("2026-01"),
            closedThrough: month("2026-07"), basis: .actualDays)
        #expect(months.map(\.period.description) == ["2026-05", "2026-06"])
        #expect(months.allSatisfy { $0.notice == nil && $0.billed == .zero && $0.difference == kr("8300") })
    }

    @Test func beforeTheFirstNoticeTheOldTermsWereBilled() throws {
        // A migrated contract from 2025-06, first noticed by Sublet in 2026-01.
        let migrated = ContractTerms(start: date("2025-06-01"), rent: kr("7000"))
        let raised = try migrated.applying(.rent(kr("7200"), from: date("2025-10-01")))
        let months = try CorrectionPlanner.months(
            before: migrated, after: raised,
            billed: billed.mapValues {
                var value = $0
                value.billed = kr("7000")
                return value
            },
            firstNoticed: month("2026-01"), closedThrough: month("2026-07"), basis: .actualDays)
        #expect(months.count == 10)
        #expect(months.prefix(3).allSatisfy { $0.notice == nil && $0.billed == kr("7000") && $0.difference == kr("200") })
        #expect(months[3].notice == "2026-000001")
    }

    @Test func futureChangesAffectNothing() throws {
        let changed = try terms.applying(.rent(kr("9000"), from: date("2026-08-01")))
        #expect(
            try CorrectionPlanner.months(
                before: terms, after: changed, billed: billed, firstNoticed: month("2026-01"), closedThrough: month("2026-07"), basis: .actualDays
            ).isEmpty)
    }
}

@Suite struct CorrectionPriceListTests {
    @Test(arguments: [(0, false), (1, false), (2, false), (3, true), (12, true)])
    func billableFromThreeNotices(affected: Int, billable: Bool) throws {
        #expect(
            try CorrectionPriceList().fee(affectedNotices: affected, minutes: nil)
                == (billable ? .init(amount: Money(kronor: 450), model: .fixed, minutes: nil) : nil))
    }

    @Test(arguments: [
        (1, 30, "325.00"), (30, 30, "325.00"), (31, 30, "650.00"), (45, 30, "650.00"), (60, 30, "650.00"), (61, 15, "812.50"), (7, 1, "75.83"),
    ])
    func timeIsRoundedUpToTheIncrement(minutes: Int, increment: Int, fee: String) throws {
        var list = CorrectionPriceList()
        list.model = .time
        list.incrementMinutes = increment
        let priced = try #require(try list.fee(affectedNotices: 3, minutes: minutes))
        #expect(priced.amount == kr(fee))
        #expect(priced.minutes.map { $0 % increment } == 0)
    }

    @Test func theTimeModelNeedsTheTime() throws {
        var list = CorrectionPriceList()
        list.model = .time
        #expect(throws: CorrectionFeeError.timeRequired(affectedNotices: 3)) { try list.fee(affectedNotices: 3, minutes: nil) }
        #expect(try list.fee(affectedNotices: 2, minutes: nil) == nil)
    }
}

@Suite struct CorrectionBillingTests {
    let pending = [
        PendingCorrection(correction: "K-1", period: BillingPeriod("2026-04")!, notice: "2026-000004", difference: Money(kronor: 250)),
        PendingCorrection(correction: "K-1", period: BillingPeriod("2026-03")!, notice: "2026-000003", difference: Money(kronor: 250)),
        PendingCorrection(correction: "K-2", period: BillingPeriod("2026-04")!, notice: "2026-000004", difference: Money(kronor: 100)),
        PendingCorrection(correction: "K-2", period: BillingPeriod("2026-02")!, notice: nil, difference: Money(kronor: 30)),
    ]

    @Test func oneLinePerMonthReferringToTheOriginal() throws {
        let lines = try CorrectionBilling.lines(for: pending)
        #expect(
            lines.map(\.text) == [
                "Retroaktiv justering 2026-02", "Retroaktiv justering 2026-03 (avi 2026-000003)",
                "Retroaktiv justering 2026-04 (avi 2026-000004)",
            ])
        #expect(lines.map(\.amount) == [Money(kronor: 30), Money(kronor: 250), Money(kronor: 350)])
        #expect(lines.map(\.correctsNotice) == [nil, "2026-000003", "2026-000004"])
        #expect(lines.allSatisfy { $0.component == nil && $0.correctsPeriod != nil })
    }

    @Test func aMonthThatNetsToZeroNeedsNoLine() throws {
        let cancelling = [
            PendingCorrection(correction: "K-1", period: BillingPeriod("2026-03")!, notice: "N", difference: Money(kronor: 10)),
            PendingCorrection(correction: "K-2", period: BillingPeriod("2026-03")!, notice: "N", difference: Money(kronor: -10)),
        ]
        #expect(try CorrectionBilling.lines(for: cancelling).isEmpty)
        #expect(try CorrectionBilling.standalone(cancelling) == .nothing)
    }

    @Test func aCreditLargerThanTheNoticeBecomesARefund() throws {
        let regular = [NoticeLine(text: "Hyra", amount: Money(kronor: 1000), component: "Hyra")]
        let credit = [PendingCorrection(correction: "K-1", period: BillingPeriod("2026-03")!, notice: "N", difference: Money(kronor: -1500))]
        let (lines, refund) = try CorrectionBilling.regularNotice(regular: regular, pending: credit)
        #expect(refund == Money(kronor: 500))
        #expect(try lines.map(\.amount).sum() == .zero)
        #expect(lines.last?.text == CorrectionBilling.refundLineText)
        let (small, none) = try CorrectionBilling.regularNotice(
            regular: regular,
            pending: [
                PendingCorrection(correction: "K-1", period: BillingPeriod("2026-03")!, notice: "N", difference: Money(kronor: -400))
            ])
        #expect(none == .zero)
        #expect(try small.map(\.amount).sum() == Money(kronor: 600))
    }

    @Test func anEndedContractGetsANoticeForADebitAndARefundForACredit() throws {
        guard case .notice(let lines) = try CorrectionBilling.standalone(pending) else {
            Issue.record("expected a notice")
            return
        }
        #expect(try lines.map(\.amount).sum() == Money(kronor: 630))
        let credit = try pending.map {
            var item = $0
            item.difference = try -item.difference
            return item
        }
        #expect(try CorrectionBilling.standalone(credit) == .refund(Money(kronor: 630)))
    }
}

@Suite struct ReportingRangeTests {
    @Test(arguments: [
        ("2026", "2026-01", "2026-12"), ("2026-T1", "2026-01", "2026-04"), ("2026-t2", "2026-05", "2026-08"),
        ("2026-T3", "2026-09", "2026-12"), ("2026-05", "2026-05", "2026-05"),
    ])
    func parses(text: String, first: String, last: String) throws {
        let range = try ReportingRange.parse(text)
        #expect(range.first == BillingPeriod(first))
        #expect(range.last == BillingPeriod(last))
    }

    @Test(arguments: ["2026-T4", "2026-T0", "26", "2026-13", "T1", ""])
    func rejects(text: String) {
        #expect(throws: FieldError.self) { try ReportingRange.parse(text) }
    }

    @Test func tertialOfAMonth() {
        #expect(ReportingRange.tertial(containing: BillingPeriod("2026-08")!).description == "2026-T2")
        #expect(ReportingRange.tertial(containing: BillingPeriod("2026-09")!).description == "2026-T3")
    }
}

/// The amounts a correction compares are the notice lines' amounts and rates, month by month.
@Suite struct RegularAmountsTests {
    @Test(arguments: [ProrationBasis.actualDays, .thirtyDay])
    func amountsAreTheLinesWithoutTheirTexts(basis: ProrationBasis) throws {
        var terms = ContractTerms(
            start: CalendarDate("2024-02-10")!, end: CalendarDate("2026-09-14")!, rent: Money(kronor: 7850),
            charges: [ChargeSpec(label: "Parkering", amount: Money(kronor: 450), vatRate: 25)])
        terms = try terms.applying(.rent(Money(ore: 812_345), from: CalendarDate("2025-03-17")!))
        terms = try terms.applying(.charge(ChargeSpec(label: "Förråd", amount: Money(kronor: 150)), from: CalendarDate("2025-07-01")!))
        var period = BillingPeriod("2024-01")!
        while period <= BillingPeriod("2026-10")! {
            let lines = try NoticePlanner.regularLines(for: terms, period: period, basis: basis) ?? []
            let amounts = try NoticePlanner.regularAmounts(for: terms, period: period, basis: basis).filter { $0.amount != .zero }
            // A line per price step: summed per component (in order), they are the amounts.
            var components: [(component: String, amount: Money, vatRate: Int)] = []
            for line in lines {
                if let last = components.last, last.component == line.component {
                    components[components.count - 1].amount = try last.amount + line.amount
                } else {
                    components.append((line.component ?? "?", line.amount, line.vatRate))
                }
            }
            #expect(amounts.map(\.amount) == components.map(\.amount), "\(period)")
            #expect(amounts.map(\.vatRate) == components.map(\.vatRate), "\(period)")
            period = period.next
        }
    }
}

/// Issue #10: a recorded change reads back from its stored text, and says itself in Swedish
/// where the districts read it.
@Suite struct TermChangeTextTests {
    static let day = CalendarDate("2026-11-01")!

    @Test(arguments: [
        (TermChange.rent(Money(ore: 960_500), from: day), "hyra 9\u{00A0}605,00 kr från 2026-11-01"),
        (.charge(ChargeSpec(label: "Parkering", amount: Money(kronor: 450)), from: day), "Parkering 450,00 kr från 2026-11-01"),
        (
            .charge(ChargeSpec(label: "Garage i källare", amount: Money(kronor: 1200), vatRate: 25), from: day),
            "Garage i källare 1\u{00A0}200,00 kr inkl. moms 25 % från 2026-11-01"
        ),
        (.removeCharge("Förråd removed", from: day), "Förråd removed tas bort från 2026-11-01"),
        (.end(CalendarDate("2027-03-31")!), "kontraktet slutar 2027-03-31"),
        (.start(day), "kontraktet börjar 2026-11-01"),
    ])
    func aChangeReadsBackAndSpeaksSwedish(change: TermChange, swedish: String) {
        #expect(TermChange(description: change.description) == change, "\(change.description)")
        #expect(change.swedish == swedish)
    }

    @Test func aRandomRentChangeReadsBack() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...100_000_000), Gen.int(in: 0...20_000)) { ore, days in
            let change = TermChange.rent(Money(ore: ore), from: CalendarDate(dayNumber: 7300 + days))
            #expect(TermChange(description: change.description) == change)
        }
    }

    @Test(arguments: ["", "rent", "rent abc from 2026-11-01", "charge from 2026-11-01", "ends on tomorrow", "rent 100.00 from 2026-13-01"])
    func otherTextIsNoChange(text: String) {
        #expect(TermChange(description: text) == nil)
    }
}
