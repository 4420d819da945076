import Foundation
import SubletDomain
import SubletStorage

/// A temporary folder removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "sublet-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

extension ChangeContext {
    static func fixture(today: String = "2026-11-26") -> ChangeContext {
        ChangeContext(actor: "tester", today: CalendarDate(today)!)
    }
}

extension ContractDraft {
    /// A valid draft; override what the test is about.
    static func fixture(
        number: String? = nil, district: String = "RK", start: String = "2026-01-15", end: String? = nil,
        rent: String = "7850", charges: [String] = []
    ) -> ContractDraft {
        let input = ContractInput(
            number: number, district: district, tenantName: "Anna Andersson", personalNumber: "19850312-1231",
            address: "Kistagången 2", start: start, end: end, rent: rent, charges: charges)
        return try! ContractDraft.validate(input, today: CalendarDate(year: 2026, month: 11, day: 26)!).get()
    }
}

extension NoticeRunRequest {
    static func fixture(period: String, issued: String = "2026-11-26", dryRun: Bool = false) -> NoticeRunRequest {
        NoticeRunRequest(
            period: BillingPeriod(period)!, issueDate: CalendarDate(issued)!, minimumDays: 10, basis: .actualDays,
            ocrLengthDigit: true, dryRun: dryRun)
    }
}

extension SubletDatabase {
    /// A database with district RK.
    static func withDistrict() throws -> SubletDatabase {
        let database = try SubletDatabase.inMemory()
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: .fixture())
        return database
    }
}
