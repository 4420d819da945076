import Foundation
import GRDB
import PropertyBased
import SubletDomain
import Testing

@testable import SubletStorage

private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func kr(_ text: String) -> Money { try! Money.parse(text, allowNegative: true) }

/// A register with one contract (rent 7 850 + parking 450 from 2026-01-01) noticed January–`through`,
/// each month's run on the 10th of the month before.
private struct Scenario {
    let database: SubletDatabase
    let number: String

    init(start: String = "2026-01-01", end: String? = nil, through: String = "2026-07") throws {
        database = try SubletDatabase.withDistrict()
        number = try database.addContract(
            .fixture(start: start, end: end, rent: "7850", charges: ["Parkering=450"]),
            context: .fixture(today: "2025-12-01")
        ).number
        var period = date(start).period
        while period <= BillingPeriod(through)! {
            try run(period)
            period = period.next
        }
    }

    @discardableResult
    func run(_ period: BillingPeriod) throws -> NoticeRunReport {
        let issued = period.previous.firstDay.adding(days: 9)
        return try database.issueRegularNotices(
            .fixture(period: period.description, issued: issued.description), context: .fixture(today: issued.description))
    }

    @discardableResult
    func change(_ change: TermChange, on today: String, options: CorrectionOptions = CorrectionOptions()) throws -> ContractChange {
        try database.changeContract(number: number, change: change, context: .fixture(today: today), basis: .actualDays, options: options)
    }

    func notice(_ period: String) throws -> Notice {
        try #require(try database.notices(period: BillingPeriod(period)!, contractNumber: number).first { $0.kind == .regular })
    }
}

@Suite struct CorrectionStorageTests {
    @Test func aRentIncreaseDecidedInJuneEffectiveMarchIsBilledOnTheAugustNotice() throws {
        let scenario = try Scenario(through: "2026-07")
        let change = try scenario.change(.rent(kr("8100"), from: date("2026-03-01")), on: "2026-06-20")
        let correction = try #require(change.correction)
        #expect(correction.number == "K-2026-000001")
        #expect(correction.affectedNotices == 5)
        #expect(correction.total == kr("1250"))
        #expect(
            correction.fee
                == Correction.Fee(amount: kr("450"), model: .fixed, minutes: nil, billingPeriod: BillingPeriod("2026-06")!, waiverReason: nil))
        #expect(try scenario.database.correction(number: "K-2026-000001") == correction)

        let august = try scenario.run(BillingPeriod("2026-08")!)
        #expect(august.correctionLines == 5)
        let notice = try scenario.notice("2026-08")
        #expect(try notice.total == kr("8550") + kr("1250"))
        #expect(notice.lines.compactMap(\.correctsPeriod).map(\.description) == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"])
        // March was noticed on 2026-02-10: the second notice of 2026.
        #expect(notice.lines[2].text == "Retroaktiv justering 2026-03 (avi 2026-000002)")
        #expect(notice.lines[2].correctsNotice == "2026-000002")
        // Billed once: the September notice carries no correction lines.
        _ = try scenario.run(BillingPeriod("2026-09")!)
        #expect(try scenario.notice("2026-09").lines.count == 2)
        #expect(try scenario.database.fees(period: BillingPeriod("2026-06")!).map(\.amount) == [kr("450")])
    }

    @Test func aChangeTouchingTwoNoticesCostsTheDistrictNothing() throws {
        let scenario = try Scenario(through: "2026-07")
        let correction = try #require(
            try scenario.change(.charge(ChargeSpec(label: "Parkering", amount: kr("500")), from: date("2026-06-01")), on: "2026-07-15").correction)
        #expect(correction.affectedNotices == 2)
        #expect(correction.fee == nil)
        #expect(try scenario.database.fees().isEmpty)
    }

    @Test func successiveCorrectionsOfTheSameMonthsCompose() throws {
        let scenario = try Scenario(through: "2026-07")
        try scenario.change(.rent(kr("8100"), from: date("2026-03-01")), on: "2026-06-20")
        let second = try #require(try scenario.change(.rent(kr("8000"), from: date("2026-03-01")), on: "2026-06-25").correction)
        #expect(second.months.map(\.billed) == Array(repeating: kr("8550"), count: 5))
        #expect(second.months.map(\.difference) == Array(repeating: kr("-100"), count: 5))
        _ = try scenario.run(BillingPeriod("2026-08")!)
        let notice = try scenario.notice("2026-08")
        // One line per month with both corrections: +250 − 100.
        #expect(notice.lines.filter { $0.correctsPeriod != nil }.map(\.amount) == Array(repeating: kr("150"), count: 5))
        #expect(try notice.total == kr("8450") + kr("750"))
    }

    @Test func aLateMoveOutOfAnEndedContractBecomesARefund() throws {
        let scenario = try Scenario(through: "2026-07")
        let correction = try #require(try scenario.change(.end(date("2026-05-15")), on: "2026-07-20").correction)
        #expect(correction.months.map(\.period.description) == ["2026-05", "2026-06", "2026-07"])
        let report = try scenario.run(BillingPeriod("2026-08")!)
        #expect(report.issued == 0)
        #expect(report.refunds == 1)
        let refunds = try scenario.database.refunds(contractNumber: scenario.number)
        #expect(try refunds.map(\.amount) == [-correction.total])
        #expect(refunds.first?.number == "R-2026-000001")
        // Settled once: the next run records nothing more.
        #expect(try scenario.run(BillingPeriod("2026-09")!).refunds == 0)
    }

    @Test func aDebitOnAnEndedContractGetsACorrectionNotice() throws {
        let scenario = try Scenario(end: "2026-06-30", through: "2026-06")
        let correction = try #require(try scenario.change(.rent(kr("8000"), from: date("2026-02-01")), on: "2026-08-05").correction)
        #expect(correction.affectedNotices == 5)
        let report = try scenario.run(BillingPeriod("2026-09")!)
        #expect(report.correctionNotices == 1)
        let notices = try scenario.database.notices(contractNumber: scenario.number).filter { $0.kind == .correction }
        let notice = try #require(notices.first)
        #expect(notice.total == kr("750"))
        #expect(notice.period == BillingPeriod("2026-09"))
        // The first bank day on or after issue date (2026-08-10) + 30 days.
        #expect(notice.dueDate == date("2026-09-09"))
        #expect(notice.lines.count == 5)
    }

    @Test func aCreditLargerThanTheNextNoticeLeavesAZeroNoticeAndARefund() throws {
        let scenario = try Scenario(through: "2026-07")
        try scenario.change(.rent(kr("1000"), from: date("2026-01-01")), on: "2026-07-20")
        _ = try scenario.run(BillingPeriod("2026-08")!)
        let notice = try scenario.notice("2026-08")
        #expect(notice.total == .zero)
        #expect(notice.lines.last?.text == CorrectionBilling.refundLineText)
        let refund = try #require(try scenario.database.refunds().first)
        #expect(refund.notice == notice.number)
        // Seven months of −6 850 against an August notice of 1 450.
        #expect(try refund.amount == kr("47950") - kr("1450"))
    }

    @Test func aWaivedFeeIsListedWithItsReasonAndNeverBilled() throws {
        let scenario = try Scenario(through: "2026-07")
        let options = CorrectionOptions(waiverReason: "Administrationens eget fel")
        let correction = try #require(try scenario.change(.rent(kr("8100"), from: date("2026-03-01")), on: "2026-06-20", options: options).correction)
        #expect(correction.fee?.waived == true)
        let fees = try scenario.database.fees()
        #expect(fees.map(\.waiverReason) == ["Administrationens eget fel"])
        let audit = try scenario.database.auditEntries(contractNumber: scenario.number)
        #expect(audit.contains { $0.action == "correction.record" && $0.detail?.contains("fee waived: Administrationens eget fel") == true })
    }

    @Test func theTimeModelBillsReportedTimeAndRefusesWithoutIt() throws {
        let scenario = try Scenario(through: "2026-07")
        var list = CorrectionPriceList()
        list.model = .time
        let before = try scenario.database.counts()
        #expect {
            try scenario.change(.rent(kr("8100"), from: date("2026-03-01")), on: "2026-06-20", options: CorrectionOptions(priceList: list))
        } throws: { error in error as? CorrectionError == .fee(.timeRequired(affectedNotices: 5)) }
        #expect(try scenario.database.counts() == before)
        #expect(try scenario.database.contract(number: scenario.number).terms.steps.count == 2)
        let correction = try #require(
            try scenario.change(
                .rent(kr("8100"), from: date("2026-03-01")), on: "2026-06-20",
                options: CorrectionOptions(priceList: list, minutes: 40)
            ).correction)
        #expect(correction.fee?.amount == kr("650"))
        #expect(correction.fee?.minutes == 60)
    }

    @Test func aDryRunRecordsNothing() throws {
        let scenario = try Scenario(through: "2026-07")
        let before = try scenario.database.counts()
        let terms = try scenario.database.contract(number: scenario.number).terms
        let change = try scenario.change(.rent(kr("8100"), from: date("2026-03-01")), on: "2026-06-20", options: CorrectionOptions(dryRun: true))
        #expect(change.dryRun)
        #expect(change.correction?.number == nil)
        #expect(change.correction?.affectedNotices == 5)
        #expect(try scenario.database.counts() == before)
        #expect(try scenario.database.contract(number: scenario.number).terms == terms)
        #expect(try scenario.database.corrections().isEmpty)
    }

    @Test func correctionsAndFeesCannotBeEdited() throws {
        let scenario = try Scenario(through: "2026-07")
        try scenario.change(.rent(kr("8100"), from: date("2026-03-01")), on: "2026-06-20")
        for sql in [
            "UPDATE correction SET total = 0", "DELETE FROM correctionMonth", "UPDATE fee SET waived = 1, waiverReason = 'x'",
            "UPDATE correctionMonth SET difference = 1, correct = billed + 1",
        ] {
            #expect(throws: DatabaseError.self) { try scenario.database.writer.write { try $0.execute(sql: sql) } }
        }
        _ = try scenario.run(BillingPeriod("2026-08")!)
        // Settled months cannot be settled again.
        #expect(throws: DatabaseError.self) {
            try scenario.database.writer.write { try $0.execute(sql: "UPDATE correctionMonth SET settledNoticeId = NULL") }
        }
    }

    /// For any sequence of changes and monthly runs, every month is billed exactly what the final
    /// terms say: regular notices plus corrections, and the tenant's documents add up to it.
    @Test func everythingBilledForAMonthIsTheCorrectAmountUnderTheFinalTerms() async throws {
        await propertyCheck(count: 60, input: Gen.int(in: 0...11).array(of: 1...10), Gen.int(in: 0...99_999).array(of: 10)) { kinds, seeds in
            try Self.checkLedger(kinds: kinds, seeds: seeds)
        }
    }

    /// Found by the property check: a credit that zeroes the next notice must not make that
    /// notice's own month look unbilled.
    @Test func aNoticeZeroedByACreditStillBilledItsOwnMonth() throws {
        try Self.checkLedger(kinds: [0], seeds: [905])
    }

    static func checkLedger(kinds: [Int], seeds: [Int]) throws {
        let scenario = try Scenario(through: "2026-03")
        var lastRun = BillingPeriod("2026-03")!
        var today = date("2026-03-15")
        for (index, kind) in kinds.enumerated() {
            let seed = seeds[index % seeds.count]
            // A date between 2025-11-01 and two months after the last run.
            let span = BillingPeriod("2025-11")!.firstDay.days(until: lastRun.advanced(by: 2).lastDay)
            let day = BillingPeriod("2025-11")!.firstDay.adding(days: seed % span)
            let change: TermChange? =
                switch kind {
                case 0, 1: .rent(Money(ore: 500_000 + (seed % 60) * 5_000 + seed % 100), from: day)
                case 2: .charge(ChargeSpec(label: "Förråd", amount: Money(ore: 10_000 + (seed % 30) * 1_000)), from: day)
                case 3: .charge(ChargeSpec(label: "Parkering", amount: Money(ore: 40_000 + (seed % 7) * 2_500), vatRate: 25), from: day)
                case 4: .removeCharge("Parkering", from: day)
                case 5: .end(day)
                case 6: .start(day)
                default: nil
                }
            if let change {
                // Impossible changes (before the start, after the end) are refused and change nothing.
                _ = try? scenario.change(change, on: today.description, options: CorrectionOptions(minutes: 30))
            } else {
                lastRun = lastRun.next
                today = lastRun.firstDay.adding(days: 14)
                try scenario.run(lastRun)
            }
        }
        // Let the next runs settle what is pending (a later start may delay the next notice).
        for _ in 0..<4 {
            lastRun = lastRun.next
            try scenario.run(lastRun)
        }
        try scenario.database.read { db in
            let contractID = try Int64.fetchOne(db, sql: "SELECT id FROM contract WHERE number = ?", arguments: [scenario.number])!
            let contract = try scenario.database.loadContract(db, number: scenario.number).contract
            let billed = try scenario.database.billing(db, contractID: contractID)
            let last = try #require(try scenario.database.lastRunPeriod(db))
            let first = ([contract.terms.start.period] + billed.keys).min()!
            var expected = Money.zero
            for index in first.index...last.index {
                let period = BillingPeriod(index: index)
                let correct = try NoticePlanner.regularTotal(for: contract.terms, period: period, basis: .actualDays)
                #expect(
                    (billed[period]?.billed ?? .zero) == correct, "\(period): billed \(billed[period]?.billed.plain ?? "0"), correct \(correct.plain)"
                )
                try expected += correct
            }
            // What the tenant's documents say: every notice, less refunds, less what is still pending.
            let notices = Money(
                ore: try Int.fetchOne(db, sql: "SELECT coalesce(sum(total), 0) FROM notice WHERE contractId = ?", arguments: [contractID])!)
            let refunds = Money(
                ore: try Int.fetchOne(db, sql: "SELECT coalesce(sum(amount), 0) FROM refund WHERE contractId = ?", arguments: [contractID])!)
            let pending = Money(
                ore: try Int.fetchOne(
                    db,
                    sql: """
                        SELECT coalesce(sum(m.difference), 0) FROM correctionMonth m JOIN correction c ON c.id = m.correctionId
                        WHERE c.contractId = ? AND m.settledNoticeId IS NULL AND m.settledRefundId IS NULL
                        """, arguments: [contractID])!)
            #expect(try notices - refunds + pending == expected)
        }
    }
}

/// Issue #8: a change of a charge's VAT alone (Parkering 450 kr exempt → 450 kr at 25 %, three
/// months back) is a correction like any other: recorded, billed to the district, and put on the
/// next notice as a credit at the old rate and a debit at the new one.
@Suite struct VATCorrectionTests {
    @Test func aChangeOfVATAloneIsCorrected() throws {
        let scenario = try Scenario(through: "2026-07")
        let change = try scenario.change(
            .charge(ChargeSpec(label: "Parkering", amount: kr("450"), vatRate: 25), from: date("2026-05-01")), on: "2026-06-20")
        let correction = try #require(change.correction)
        #expect(correction.months.map(\.period.description) == ["2026-05", "2026-06", "2026-07"])
        #expect(correction.months.allSatisfy { $0.difference == .zero && $0.byRate == [0: kr("-450"), 25: kr("450")] })
        #expect(correction.affectedNotices == 3)
        #expect(correction.total == .zero)
        #expect(correction.fee?.amount == kr("450"))
        #expect(try scenario.database.correction(number: try #require(correction.number)) == correction)

        try scenario.run(BillingPeriod("2026-08")!)
        let august = try scenario.notice("2026-08")
        let may = try scenario.notice("2026-05")
        let corrections = august.lines.filter { $0.correctsPeriod == BillingPeriod("2026-05") }
        #expect(
            corrections.map(\.text) == [
                "Retroaktiv justering 2026-05 (avi \(may.number))", "Retroaktiv justering 2026-05 (avi \(may.number)), moms 25 %",
            ])
        #expect(corrections.map(\.amount) == [kr("-450"), kr("450")])
        #expect(corrections.map(\.vatAmount) == [.zero, kr("90")])
        #expect(august.total == kr("8300"))  // rent 7 850 + parking 450; the corrections net to zero
        #expect(try scenario.database.check().isHealthy)

        // Settled: the September notice carries no correction, and changing nothing records nothing.
        try scenario.run(BillingPeriod("2026-09")!)
        #expect(try scenario.notice("2026-09").lines.allSatisfy { $0.correctsPeriod == nil })
        let again = try scenario.change(
            .charge(ChargeSpec(label: "Parkering", amount: kr("450"), vatRate: 25), from: date("2026-05-01")), on: "2026-08-20")
        #expect(again.correction == nil)
    }

    @Test func anEndedContractGetsACorrectionNoticeOfTheVATChange() throws {
        let scenario = try Scenario(end: "2026-07-31", through: "2026-07")
        _ = try scenario.change(.charge(ChargeSpec(label: "Parkering", amount: kr("450"), vatRate: 25), from: date("2026-07-01")), on: "2026-07-20")
        let report = try scenario.run(BillingPeriod("2026-08")!)
        #expect(report.correctionNotices == 1)
        let notice = try #require(try scenario.database.notices(contractNumber: scenario.number).first { $0.kind == .correction })
        #expect(notice.total == .zero)
        #expect(notice.lines.map(\.vatRate) == [0, 25])
    }

    @Test(arguments: ["UPDATE correctionMonthVat SET difference = 1", "DELETE FROM correctionMonthVat"])
    func theVATSplitCannotBeRewritten(statement: String) throws {
        let scenario = try Scenario(through: "2026-07")
        try scenario.change(.charge(ChargeSpec(label: "Parkering", amount: kr("450"), vatRate: 25), from: date("2026-06-01")), on: "2026-06-20")
        #expect(throws: DatabaseError.self) { try scenario.database.writer.write { try $0.execute(sql: statement) } }
    }
}
