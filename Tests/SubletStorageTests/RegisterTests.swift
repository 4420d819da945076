import Foundation
import GRDB
import SubletDomain
import Testing

@testable import SubletStorage

@Suite struct RegisterTests {
    @Test func contractNumbersAreSequentialAndSkipPastImportedOnes() throws {
        let database = try SubletDatabase.withDistrict()
        #expect(try database.addContract(.fixture(), context: .fixture()).number == "AH-000001")
        #expect(try database.addContract(.fixture(number: "AH-000007"), context: .fixture()).number == "AH-000007")
        #expect(try database.addContract(.fixture(number: "L-123"), context: .fixture()).number == "L-123")
        #expect(try database.addContract(.fixture(), context: .fixture()).number == "AH-000008")
    }

    @Test func aContractRemembersHowItEnteredTheRegister() throws {
        let database = try SubletDatabase.withDistrict()
        let added = try database.addContract(.fixture(), context: .fixture(today: "2026-03-02"))
        var reader = try ContractImportReader(
            bytes: Array("district,tenant_name,personal_number,address,start_date,rent\nRK,Bo,19850372-1238,Gata 1,2026-01-01,5000\n".utf8),
            today: CalendarDate("2026-11-26")!
        )
        let outcome = try database.importContracts(from: &reader, source: "legacy.csv", context: .fixture())
        let imported = try database.contract(number: try #require(outcome.firstNumber))
        #expect(try database.contract(number: added.number).origin == .new)
        #expect(try database.contract(number: added.number).registeredOn == CalendarDate("2026-03-02"))
        #expect(imported.origin == .migrated)
        let audit = try database.auditEntries(contractNumber: imported.number)
        #expect(audit.map(\.action) == ["contract.import"])
        #expect(audit.first?.detail == "imported from legacy.csv, line 2")
    }

    @Test func anImportWithOneBadRowImportsNothingAndNamesEveryBadRow() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(number: "L-1"), context: .fixture())
        let countsBefore = try database.counts()
        let csv = """
            contract_number,district,tenant_name,personal_number,address,start_date,rent
            L-2,RK,Anna,19850312-1231,Gata 1,2026-01-01,5000
            L-1,RK,Bo,19850372-1238,Gata 2,2026-01-01,5000
            L-3,XX,Cy,19850372-1238,Gata 3,2026-01-01,5000
            L-4,RK,Di,19850372-1238,Gata 4,2026-01-01,5000
            """
        var reader = try ContractImportReader(bytes: Array(csv.utf8), today: CalendarDate("2026-11-26")!)
        #expect {
            _ = try database.importContracts(from: &reader, source: "bad.csv", context: .fixture())
        } throws: { error in
            let problems = (error as? ImportProblems)?.problems ?? []
            return problems.map(\.description) == [
                "line 3, column 1 (contract_number): contract number L-1 already exists in the register",
                "line 4, column 2 (district): district XX does not exist (add it with `sublet district add`)",
            ]
        }
        #expect(try database.counts() == countsBefore)
    }

    @Test func listsFilterByDistrictAndActiveDate() throws {
        let database = try SubletDatabase.withDistrict()
        try database.addDistrict(District(code: "SM", name: "Södermalm"), context: .fixture())
        _ = try database.addContract(.fixture(start: "2026-01-01", end: "2026-06-30"), context: .fixture())
        _ = try database.addContract(.fixture(district: "SM", start: "2026-07-01"), context: .fixture())
        #expect(try database.contracts().count == 2)
        #expect(try database.contracts(district: "SM").map(\.number) == ["AH-000002"])
        #expect(try database.contracts(activeOn: CalendarDate("2026-06-30")!).map(\.number) == ["AH-000001"])
        #expect(try database.contracts(activeOn: CalendarDate("2026-07-01")!).map(\.number) == ["AH-000002"])
        #expect(try database.contracts(district: "RK", activeOn: CalendarDate("2026-07-01")!).isEmpty)
    }

    @Test func aChangeIsAuditedWithBeforeAndAfterAndMaskedPersonalNumbers() throws {
        let database = try SubletDatabase.withDistrict()
        let contract = try database.addContract(.fixture(), context: .fixture())
        _ = try database.changeContract(
            number: contract.number, change: .rent(Money(ore: 810_000), from: CalendarDate("2027-03-01")!),
            context: ChangeContext(actor: "kalle", today: CalendarDate("2026-11-26")!), basis: .actualDays)
        let entries = try database.auditEntries(contractNumber: contract.number)
        #expect(entries.map(\.action) == ["contract.add", "contract.change"])
        let change = try #require(entries.last)
        #expect(change.actor == "kalle")
        #expect(change.detail == "rent 8100.00 from 2027-03-01")
        #expect(change.before?.contains("Hyra=7850.00 from 2026-01-15") == true)
        #expect(change.after?.contains("Hyra=8100.00 from 2027-03-01") == true)
        for text in entries.compactMap(\.after) + entries.compactMap(\.before) {
            #expect(text.contains("19850312-****"))
            #expect(!text.contains("1231"))
        }
    }

    @Test func unknownContractsAndDistrictsAreNamed() throws {
        let database = try SubletDatabase.withDistrict()
        #expect(throws: StorageError.self) { try database.contract(number: "AH-999999") }
        #expect {
            _ = try database.addContract(.fixture(district: "ZZ"), context: .fixture())
        } throws: { error in "\(error)".contains("district ZZ does not exist") }
        #expect {
            try database.addDistrict(District(code: "RK", name: "Again"), context: .fixture())
        } throws: { error in "\(error)".contains("district RK already exists") }
    }
}

@Suite struct NoticeRunTests {
    @Test func aRunIssuesOneNoticePerActiveContractAndIsIdempotent() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(start: "2026-01-15", charges: ["Parkering=450"]), context: .fixture())
        _ = try database.addContract(.fixture(start: "2026-12-10", end: "2027-06-30"), context: .fixture())
        _ = try database.addContract(.fixture(start: "2025-01-01", end: "2026-11-30"), context: .fixture())
        _ = try database.addContract(.fixture(start: "2027-01-01"), context: .fixture())
        let first = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        #expect(first.issued == 2)
        #expect(first.alreadyIssued == 0)
        #expect(first.total == Money(ore: 785_000 + 45_000 + 785_000 * 22 / 31 + 1))  // 5570.97 rounded up
        #expect(first.dueDate == CalendarDate("2026-12-07"))
        let second = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        #expect(second.issued == 0)
        #expect(second.alreadyIssued == 2)
        #expect(second.total == .zero)
        let notices = try database.notices(period: BillingPeriod("2026-12")!)
        #expect(notices.map(\.number) == ["2026-000001", "2026-000002"])
        #expect(notices.allSatisfy { OCRReference.isValid($0.ocr, lengthDigit: true) })
        #expect(Set(notices.map(\.ocr)).count == 2)
        #expect(notices[0].lines.map(\.text) == ["Hyra december 2026", "Parkering december 2026"])
        #expect(notices.allSatisfy { $0.total == (try? $0.lines.map(\.amount).sum()) })
    }

    @Test func aDryRunWritesNothing() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(), context: .fixture())
        let counts = try database.counts()
        let dry = try database.issueRegularNotices(.fixture(period: "2026-12", dryRun: true), context: .fixture())
        #expect(dry.issued == 1)
        #expect(dry.dryRun)
        #expect(try database.counts() == counts)
        #expect(try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture()).issued == 1)
    }

    @Test func noticeNumbersRunPerIssueYearAndOCRReferencesNeverRepeat() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(start: "2026-01-01"), context: .fixture())
        _ = try database.addContract(.fixture(start: "2026-01-01"), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2026-12", issued: "2026-11-10"), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2027-01", issued: "2026-12-10"), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2027-02", issued: "2027-01-11"), context: .fixture())
        let all = try database.notices()
        #expect(all.map(\.number) == ["2026-000001", "2026-000002", "2026-000003", "2026-000004", "2027-000001", "2027-000002"])
        #expect(Set(all.map(\.ocr)).count == all.count)
        #expect(all.first { $0.period == BillingPeriod("2027-01") }?.dueDate == CalendarDate("2026-12-30"))
    }

    @Test func theRunIsAudited() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        _ = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        let runs = try database.auditEntries().filter { $0.action == "notices.run" }
        #expect(runs.count == 1)
        #expect(runs.first?.entityKey == "2026-12")
    }

    @Test func backupsAreConsistentCopies() throws {
        let folder = TemporaryDirectory()
        let (database, _) = try SubletDatabase.initialize(at: folder.file("live.sqlite"))
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: .fixture())
        _ = try database.addContract(.fixture(), context: .fixture())
        try database.backup(to: folder.file("copy.sqlite"))
        let copy = try SubletDatabase.open(at: folder.file("copy.sqlite"))
        #expect(try copy.counts() == database.counts())
        #expect(try copy.check().isHealthy)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.file("copy.sqlite"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}

/// Issue #7: terms stored before the bounds existed (a legacy database) stop the monthly run with
/// a message naming the contract, never a trap, and the run issues nothing.
@Suite struct StoredAmountsBeyondTheBoundsTests {
    @Test func theMonthlyRunRefusesAContractWhoseAmountsOverflow() throws {
        let database = try SubletDatabase.withDistrict()
        _ = try database.addContract(.fixture(start: "2026-01-01"), context: .fixture())
        _ = try database.addContract(.fixture(start: "2026-01-01"), context: .fixture())
        try database.writer.write { db in
            for (index, label) in ["A", "B", "C"].enumerated() {
                try db.execute(
                    sql: "INSERT INTO contractTerm (contractId, component, validFrom, amount, vatRate) VALUES (2, ?, '2026-01-01', ?, 0)",
                    arguments: [label, Int.max / 3 + index])
            }
        }
        #expect {
            _ = try database.issueRegularNotices(.fixture(period: "2026-12"), context: .fixture())
        } throws: { error in
            "\(error)".contains("contract AH-000002, 2026-12: the amounts add up to more than Sublet can hold")
                && "\(error)".contains("nothing was issued")
        }
        #expect(try database.notices(period: BillingPeriod("2026-12")!).isEmpty)
    }
}
