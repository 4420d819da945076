import Foundation
import GRDB
import SubletDomain
import Testing

@testable import SubletStorage

private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func run(_ database: SubletDatabase, _ period: String, on day: String, dryRun: Bool = false) throws -> NoticeRunReport {
    try database.issueRegularNotices(.fixture(period: period, issued: day, dryRun: dryRun), context: .fixture(today: day))
}

/// Issue #7: a contract registered after its first months were run gets those months billed by
/// the next run, as catch-up notices with their own due dates and no fee.
@Suite struct CatchUpTests {
    @Test func aContractRegisteredLateIsBilledForTheMonthsItMissed() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(start: "2026-01-01"), context: .fixture(today: "2026-11-01"))
        _ = try run(database, "2026-12", on: "2026-11-10")
        _ = try run(database, "2027-01", on: "2026-12-10")
        // Registered on 2026-12-15, starting 2026-12-01: December and January have been run.
        let late = try database.addContract(.fixture(start: "2026-12-01", rent: "7000"), context: .fixture(today: "2026-12-15"))
        #expect(try database.closedMonths(activeUnder: late.terms) == [BillingPeriod("2026-12")!, BillingPeriod("2027-01")!])

        let preview = try run(database, "2027-02", on: "2027-01-10", dryRun: true)
        #expect(preview.catchUpNotices == 2)
        #expect(preview.issued == 4)
        #expect(try database.notices(contractNumber: late.number).isEmpty)

        let report = try run(database, "2027-02", on: "2027-01-10")
        #expect(report.catchUpNotices == 2)
        #expect(report.total == Money(kronor: 7850 + 3 * 7000))
        let notices = try database.notices(contractNumber: late.number)
        #expect(notices.map(\.period.description) == ["2027-02", "2026-12", "2027-01"])
        #expect(notices.map(\.total) == Array(repeating: Money(kronor: 7000), count: 3))
        #expect(notices.allSatisfy { $0.kind == .regular && $0.issueDate == date("2027-01-10") })
        // The month's own due date had passed: due ten days on, the first bank day.
        #expect(notices.map(\.dueDate) == [date("2027-01-29"), date("2027-01-20"), date("2027-01-20")])
        #expect(notices[1].lines.map(\.text) == ["Hyra december 2026"])
        // Not a correction: no correction, no fee.
        #expect(try database.corrections().isEmpty)
        #expect(try database.fees().isEmpty)
        // Idempotent.
        let again = try run(database, "2027-02", on: "2027-01-11")
        #expect(again.issued == 0 && again.catchUpNotices == 0)
        #expect(try database.check().isHealthy)
    }

    /// Whenever a contract is registered and whatever its start, after the next run every month
    /// the job has run for is billed exactly what the terms say, once.
    @Test(arguments: [0, 1, 2, 3], ["2026-09-15", "2026-10-01", "2026-11-20", "2027-01-31"])
    func everyRunMonthIsBilledOnceWhateverTheRegistration(registeredAfterRuns: Int, start: String) throws {
        let database = try SubletDatabase.withDistrict()
        let months = ["2026-10", "2026-11", "2026-12", "2027-01"]
        var contract: Contract?
        for (index, period) in months.enumerated() {
            if index == registeredAfterRuns {
                contract = try database.addContract(.fixture(start: start, charges: ["Förråd=120,50"]), context: .fixture(today: "2026-09-01"))
            }
            _ = try run(database, period, on: BillingPeriod(period)!.previous.firstDay.adding(days: 9).description)
        }
        if contract == nil {
            contract = try database.addContract(.fixture(start: start, charges: ["Förråd=120,50"]), context: .fixture(today: "2027-01-05"))
        }
        let terms = try #require(contract).terms
        _ = try run(database, "2027-02", on: "2027-01-10")
        let notices = try database.notices(contractNumber: contract!.number)
        for period in (months + ["2027-02"]).map({ BillingPeriod($0)! }) {
            let billed = notices.filter { $0.period == period }
            let owed = try NoticePlanner.regularTotal(for: terms, period: period, basis: .actualDays)
            #expect(billed.count == (owed == .zero && terms.activeRange(in: period) == nil ? 0 : 1), "\(period)")
            #expect(try billed.map(\.total).sum() == owed, "\(period)")
        }
    }

    /// A change reaching back into a caught-up month is a correction like any other.
    @Test func aCaughtUpMonthIsCorrectedLikeAnyOther() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try run(database, "2026-12", on: "2026-11-10")
        let late = try database.addContract(.fixture(start: "2026-12-01", rent: "7000"), context: .fixture(today: "2026-12-15"))
        _ = try run(database, "2027-01", on: "2026-12-20")
        let change = try database.changeContract(
            number: late.number, change: .rent(Money(kronor: 7200), from: date("2026-12-01")),
            context: .fixture(today: "2026-12-21"), basis: .actualDays)
        #expect(change.correction?.months.map(\.difference) == [Money(kronor: 200), Money(kronor: 200)])
        #expect(change.correction?.months.allSatisfy { $0.notice != nil } == true)
    }
}
