import Foundation
import InvoiceFeed
import PropertyBased
import SubletApp
import SubletDomain
import SubletStorage
import Testing

/// Issue #7: random amounts at and beyond the bounds, through every path that does money
/// arithmetic on them: contract import, the monthly run, a retroactive correction, invoice
/// ingest and reconciliation. Each either succeeds or fails with a typed error; none traps (a
/// trap would end this test process, so a green run is the proof).
@Suite struct AmountFuzzTests {
    /// Amount texts around the bounds: 1 000 000 kr for monthly amounts, 10^11 for invoices, and
    /// 64-bit öre (about 9.2 × 10^16 kr).
    static let amount = Gen.oneOf(
        Gen.int(in: 0...13).map {
            [
                "0", "0,01", "999999,99", "1000000", "1000000,01", "1 000 000,00", "99999999999,99", "100000000000", "100000000000,01",
                "9999999999999,99", "50000000000000000,00", "99999999999999999,99", "92233720368547758,07", "999999999999999999999999",
            ][$0]
        },
        Gen.int(in: 1...999_999).map { String($0) + "," + String($0 % 100).zeroPadded(to: 2) },
        Gen.int(in: 0...9).array(of: 1...24).map { String($0.map { Character(String($0)) }) }
    )

    @Test func randomAmountsNeverTrapAnywhere() async {
        await propertyCheck(count: 80, input: Self.amount, Self.amount, Gen.int(in: 0...60), Self.amount) { rent, charge, charges, invoiced in
            try Self.pipeline(rent: rent, charge: charge, charges: charges, invoiced: invoiced)
        }
    }

    /// The cases the attack found, by name.
    @Test(arguments: [
        ("9999999999999,99", "9999999999999,99", 60, "99999999999999999.99"),
        ("1000000", "1000000", 50, "50000000000000000.00"),
        ("1000000,01", "0", 0, "100000000000.01"),
    ])
    func theReportedCasesAreRejectedCleanly(rent: String, charge: String, charges: Int, invoiced: String) throws {
        try Self.pipeline(rent: rent, charge: charge, charges: charges, invoiced: invoiced.replacingOccurrences(of: ".", with: ","))
    }

    static func pipeline(rent: String, charge: String, charges: Int, invoiced: String) throws {
        let folder = TemporaryFolder()
        let database = try SubletDatabase.inMemory()
        let context = ChangeContext(actor: "fuzz", today: CalendarDate("2026-05-20")!)
        try database.addDistrict(District(code: "SK", name: "Skarpnäck"), context: context)

        // Import: within the bounds it is stored, beyond them every bad field is named.
        let chargeList = (0..<charges).map { "Avgift \($0)=\(charge)" }.joined(separator: "|")
        let csv =
            "district;tenant_name;personal_number;address;start_date;rent;charges\n"
            + "SK;Anna Andersson;19850312-1231;Storgatan 12;2026-01-01;\"\(rent)\";\"\(chargeList)\"\n"
        var reader = try ContractImportReader(bytes: Array(csv.utf8), today: context.today)
        let withinBounds = Self.monthly(rent) && (charges == 0 || Self.monthly(charge)) && charges <= ContractTerms.maximumCharges
        do {
            _ = try database.importContracts(from: &reader, source: "fuzz.csv", context: context)
            #expect(withinBounds, "rent \(rent), \(charges) × \(charge) was imported")
        } catch let problems as ImportProblems {
            #expect(!withinBounds, "\(problems)")
            #expect(problems.problems.allSatisfy { $0.line == 2 && $0.column != nil })
        }

        // The monthly runs and a correction reaching back: they run, or stop with a message.
        for period in ["2026-03", "2026-04"] {
            _ = try database.issueRegularNotices(
                .init(
                    period: BillingPeriod(period)!, issueDate: context.today, minimumDays: 10,
                    basis: .actualDays, ocrLengthDigit: true, dryRun: false), context: context)
        }
        if withinBounds {
            let change = try TermChange.rent(Money.parse(rent), from: CalendarDate("2026-03-15")!)
            _ = try database.changeContract(number: "AH-000001", change: change, context: context, basis: .actualDays)
            _ = try database.issueRegularNotices(
                .init(
                    period: BillingPeriod("2026-05")!, issueDate: context.today, minimumDays: 10,
                    basis: .actualDays, ocrLengthDigit: true, dryRun: false), context: context)
            #expect(try database.check().isHealthy)
        }

        // Ingest: an invoice whose amounts are the text; within 10^11 it is stored, beyond it the
        // file is rejected at the element, and nothing is stored.
        try database.addLandlord(
            Landlord(organisationNumber: OrganisationNumber(parsing: "556900-1232"), name: "Exempelbostäder AB"), context: context)
        _ = try database.addLease(
            HeadLease(
                id: "TL-1", landlord: "5569001232", objectID: "0012-1102", district: "SK",
                terms: ContractTerms(start: CalendarDate("2025-01-01")!, rent: Money(kronor: 8450))),
            id: "TL-1", context: context)
        let value = invoiced.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
        let file = folder.path + "/invoice.xml"
        try Self.invoice(lineAmount: value, lines: 2).write(toFile: file, atomically: true, encoding: .utf8)
        let ingest = InvoiceIngest(database: database, configuration: Settings())
        // The lines and the document's totals (twice a line) must all be within the bound.
        let invoiceInBounds = ExactDecimal(value).flatMap { try? $0 + $0 }.map { $0.magnitude <= ExactDecimal.invoiceLimit } ?? false
        do {
            _ = try ingest.ingest(path: file, context: context)
            #expect(invoiceInBounds, "\(value) was taken in")
        } catch let error as FeedError {
            #expect(!invoiceInBounds, "\(error)")
            #expect(error.description.contains("invoice.xml:"), "\(error)")
            #expect(try database.invoices().isEmpty)
        }
        _ = try database.reconcile(period: BillingPeriod("2026-04")!, reconciler: Reconciler(tolerance: .zero, graceDays: 10, today: context.today))
    }

    static func monthly(_ text: String) -> Bool { (try? Money.parse(text)) != nil }

    /// A minimal PEPPOL BIS 3 invoice from landlord 556900-1232 with `lines` lines of `lineAmount`
    /// for lease TL-1 in April 2026; the totals are the lines' sum as written.
    static func invoice(lineAmount: String, lines: Int) -> String {
        let total =
            ExactDecimal(lineAmount).flatMap { amount in
                try? (0..<lines).reduce(ExactDecimal.zero) { sum, _ in try sum + amount }
            }?.description ?? lineAmount
        let body = (1...lines).map { index in
            """
              <cac:InvoiceLine>
                <cbc:ID>\(index)</cbc:ID>
                <cbc:InvoicedQuantity unitCode="MON">1</cbc:InvoicedQuantity>
                <cbc:LineExtensionAmount currencyID="SEK">\(lineAmount)</cbc:LineExtensionAmount>
                <cac:InvoicePeriod><cbc:StartDate>2026-04-01</cbc:StartDate><cbc:EndDate>2026-04-30</cbc:EndDate></cac:InvoicePeriod>
                <cac:Item>
                  <cbc:Name>Hyra</cbc:Name>
                  <cac:BuyersItemIdentification><cbc:ID>TL-1</cbc:ID></cac:BuyersItemIdentification>
                  <cac:ClassifiedTaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
                </cac:Item>
                <cac:Price><cbc:PriceAmount currencyID="SEK">\(lineAmount)</cbc:PriceAmount></cac:Price>
              </cac:InvoiceLine>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                     xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:ID>F-\(lines)-\(lineAmount.prefix(12))</cbc:ID>
              <cbc:IssueDate>2026-03-25</cbc:IssueDate>
              <cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>
              <cac:AccountingSupplierParty><cac:Party>
                <cac:PartyLegalEntity><cbc:RegistrationName>Exempelbostäder AB</cbc:RegistrationName><cbc:CompanyID>5569001232</cbc:CompanyID></cac:PartyLegalEntity>
              </cac:Party></cac:AccountingSupplierParty>
              <cac:TaxTotal><cbc:TaxAmount currencyID="SEK">0</cbc:TaxAmount>
                <cac:TaxSubtotal><cbc:TaxableAmount currencyID="SEK">\(total)</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0</cbc:TaxAmount>
                  <cac:TaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
                </cac:TaxSubtotal>
              </cac:TaxTotal>
              <cac:LegalMonetaryTotal>
                <cbc:LineExtensionAmount currencyID="SEK">\(total)</cbc:LineExtensionAmount>
                <cbc:TaxExclusiveAmount currencyID="SEK">\(total)</cbc:TaxExclusiveAmount>
                <cbc:TaxInclusiveAmount currencyID="SEK">\(total)</cbc:TaxInclusiveAmount>
                <cbc:PayableAmount currencyID="SEK">\(total)</cbc:PayableAmount>
              </cac:LegalMonetaryTotal>
            \(body)
            </Invoice>
            """
    }
}
