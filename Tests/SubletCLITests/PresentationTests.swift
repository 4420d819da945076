import Foundation
import SubletApp
import SubletDomain
import Testing

@testable import SubletCLI

/// The command line's JSON shapes, as scripts read them (docs/cli.md).
@Suite struct PresentationTests {
    @Test func aContractWithoutEndDateOrObjectSaysSo() throws {
        let terms = ContractTerms(start: CalendarDate(year: 2026, month: 1, day: 1)!, rent: Money(kronor: 7000))
        let contract = Contract(
            number: "AH-000001", district: "RK", tenantName: "Anna Andersson",
            personalNumber: try PersonalNumber(parsing: "19850312-1231", referenceDate: CalendarDate(year: 2026, month: 1, day: 1)!),
            address: "Kistagången 2", objectID: nil,
            terms: terms, origin: .new, registeredOn: CalendarDate(year: 2026, month: 1, day: 1)!)
        let json = try JSONShape.encode(JSONShape.ContractJSON(contract, on: CalendarDate(year: 2026, month: 1, day: 1)!), pretty: false)
        #expect(json.contains(#""end_date":null"#))
        #expect(json.contains(#""object_id":null"#))
        #expect(json.contains(#""personal_number":"19850312-****""#))
    }
}
