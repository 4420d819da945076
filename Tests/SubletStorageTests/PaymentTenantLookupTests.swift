import Foundation
import GRDB
import SubletDomain
import Testing

@testable import SubletStorage

/// Tier 3 finds tenants through the register's search index (`PaymentRegister.tenants`), and
/// must find exactly the tenants a scan of every contract finds (`TenantIndex.load`): the same
/// names however the payer spelt them, the same personal numbers; also while the index's
/// upkeep is deferred, when every tenant is read instead.
@Suite struct PaymentTenantLookupTests {
    static let names = [
        "Anna Andersson", "ANDERSSON, Anna", "Anna Andersson", "Lena Bergström", "Lena Bergstrom", "Anna-Lena Öberg", "Ali O'Neil",
        "José Núñez", "Karl XII Svensson", "Nils  Okänd", "Lars Öberg",
    ]

    /// Valid personal numbers (their check digit computed), a few shared by several contracts.
    static let personalNumbers: [String] = ["19900101123", "19750505234", "20011224345"].map { base in
        base + String(Luhn.checkDigit(for: base.dropFirst(2)))
    }

    static func register() throws -> SubletDatabase {
        let database = try SubletDatabase.withDistrict()
        for (index, name) in names.enumerated() {
            let personal = personalNumbers[index % personalNumbers.count]
            let input = ContractInput(
                number: nil, district: "RK", tenantName: name, personalNumber: personal, address: "Kistagången \(index + 1)",
                start: "2026-09-01", end: nil, rent: "7850", charges: [])
            let draft = try ContractDraft.validate(input, today: CalendarDate("2026-08-20")!).get()
            _ = try database.addContract(draft, context: .fixture(today: "2026-08-20"))
        }
        return database
    }

    /// What the payer may write: every tenant's name as registered, reordered, in capitals,
    /// without its diacritics, and names nobody has.
    static let payerNames =
        names + [
            "andersson anna", "BERGSTRÖM LENA", "bergstrom lena", "OBERG ANNA LENA", "Öberg Anna Lena", "ONEIL ALI", "O NEIL ALI", "Nunez Jose",
            "Svensson Karl XII", "Okänd Nils", "Nobody Atall", "Anna", "\"Anna\" Andersson", "Lena",
        ]

    @Test(arguments: [false, true])
    func theSearchIndexFindsTheTenantsAScanFinds(deferred: Bool) throws {
        let database = try Self.register()
        try database.writer.write { db in
            if deferred { try db.execute(sql: "INSERT INTO searchDeferred (fromContractId) VALUES (1)") }
            let scanned = try TenantIndex.load(db)
            let register = try PaymentRegister(db, today: CalendarDate("2026-11-26")!)
            for payer in Self.payerNames {
                let name = PaymentMatcher.normalisedName(payer)
                let found = register.tenants(named: name)
                #expect(found == (scanned.names[name] ?? []), "payer \(payer)")
                // Asked again (from what the register remembers): the same.
                #expect(register.tenants(named: name) == found)
            }
            for personal in Self.personalNumbers + ["19850312" + "0000"] {
                #expect(register.tenants(identity: personal) == (scanned.identities[personal] ?? []), "\(personal)")
            }
            #expect(register.failure == nil)
            // The index answered, unless its upkeep was deferred.
            #expect((register.allTenants != nil) == deferred)
        }
        // The names the index found are real finds, not an empty answer agreeing with an empty scan.
        try database.writer.read { db in
            let register = try PaymentRegister(db, today: CalendarDate("2026-11-26")!)
            #expect(register.tenants(named: PaymentMatcher.normalisedName("Andersson, Anna")).count == 3)
            #expect(register.tenants(named: PaymentMatcher.normalisedName("BERGSTROM LENA")).map(\.name) == ["Lena Bergstrom"])
            #expect(register.tenants(identity: Self.personalNumbers[0]).count == 4)
        }
    }
}
