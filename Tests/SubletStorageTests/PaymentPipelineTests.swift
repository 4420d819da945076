import Foundation
import PropertyBased
import SubletDomain
import SubletStorage
import Testing

/// A BgMax import into a file database matches on a thread of its own, reading the register
/// through other connections while its own connection writes; into an in-memory database it
/// matches in line. Both must store exactly the same payments, tiers and applications.
@Suite struct PaymentPipelineTests {
    /// The register of `PaymentLedgerTests` (one contract ended, so that some money is refunded),
    /// in `database`.
    static func fill(_ database: SubletDatabase) throws -> [Notice] {
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: .fixture())
        for (rent, end) in [("7850", nil), ("6000", "2026-11-30"), ("4321.50", nil)] {
            _ = try database.addContract(.fixture(start: "2026-09-01", end: end, rent: rent), context: .fixture(today: "2026-08-20"))
        }
        for (period, issued) in [("2026-10", "2026-09-20"), ("2026-11", "2026-10-20"), ("2026-12", "2026-11-20")] {
            _ = try database.issueRegularNotices(.fixture(period: period, issued: issued), context: .fixture(today: issued))
        }
        return try database.notices()
    }

    @Test func matchingOnItsOwnThreadStoresWhatMatchingInLineStores() async throws {
        await propertyCheck(count: 3, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            var random = SeededRandom(seed: UInt64(seed))
            let directory = TemporaryDirectory()
            let (onDisk, _) = try SubletDatabase.initialize(at: directory.file("pipeline.sqlite"))
            let inMemory = try SubletDatabase.inMemory()
            let notices = try Self.fill(onDisk)
            #expect(try Self.fill(inMemory) == notices)
            // Several chunks of 500 (matching runs ahead of writing), with duplicates, typos,
            // strangers' references, no reference at all, and overpayments.
            var payments: [IncomingPayment] = []
            for index in 0..<Int.random(in: 600...2_000, using: &random) {
                let notice = notices.randomElement(using: &random)!
                let references: [String] =
                    switch Int.random(in: 0...5, using: &random) {
                    case 0: ["12345"]
                    case 1: [String(notice.ocr.reversed())]
                    case 2: []
                    default: [notice.ocr]
                    }
                let key = Int.random(in: 0...9, using: &random) == 0 ? "dup\(index % 7)" : "k\(index)"
                var payment = IncomingPayment(
                    format: .bgmax, bankKey: key, amount: Money(ore: Int.random(in: 1...1_500_000, using: &random)), currency: "SEK",
                    paymentDate: CalendarDate("2026-11-27")!, references: references, line: index + 1)
                if references.isEmpty { payment.payerName = Bool.random(using: &random) ? "Anna Andersson" : "Nils Okänd" }
                payments.append(payment)
            }
            var outcomes: [PaymentImportOutcome] = []
            for database in [onDisk, inMemory] {
                outcomes.append(
                    try database.importPayments(
                        PaymentFile(format: .bgmax, payments: payments), record: InboundFile(name: "f.bgmax", sha256: "s\(seed)", bytes: 1),
                        matcher: PaymentMatcher(lengthDigit: true), policy: .nextNotice, context: .fixture()))
            }
            #expect(outcomes[0] == outcomes[1])
            #expect(outcomes[0].payments + outcomes[0].duplicates == payments.count)
            let stored = try [onDisk, inMemory].map { database in
                try database.payments().map { try database.payment(id: $0.id) }
            }
            #expect(stored[0].count == outcomes[0].payments)
            #expect(stored[0] == stored[1])
            #expect(try onDisk.ledger(contract: notices[0].contractNumber) == inMemory.ledger(contract: notices[0].contractNumber))
        }
    }
}
