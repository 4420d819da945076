import SubletDomain
import Testing

private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func kr(_ text: String) -> Money { try! Money.parse(text, allowNegative: true) }
private func decimal(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

@Suite struct ExactDecimalTests {
    @Test(arguments: [("1408.35", "1408.35"), ("-5", "-5"), ("+0.50", "0.50"), (" 16 ", "16"), ("000.1", "0.1"), ("260.125", "260.125")])
    func parses(text: String, written: String) throws {
        #expect(ExactDecimal(text)?.description == written)
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "1e3", "12,50", "abc", "1 000", "0.1234567890123456789"])
    func rejects(text: String) throws {
        #expect(ExactDecimal(text) == nil)
    }

    @Test(arguments: [
        // XPath round(x * 100) div 100: halves towards positive infinity.
        ("2.345", "2.35"), ("-2.345", "-2.34"), ("-2.346", "-2.35"), ("0.005", "0.01"), ("-0.005", "0"), ("1.5", "1.5"), ("7.994999", "7.99"),
    ])
    func roundsToCentsAsXPath(text: String, rounded: String) throws {
        #expect(try decimal(text).roundedToCents == decimal(rounded))
    }

    @Test func arithmeticIsExact() throws {
        #expect(try decimal("0.1") + decimal("0.2") == decimal("0.3"))
        #expect(try decimal("16") * decimal("260.00") == decimal("4160"))
        #expect(decimal("1.50") == decimal("1.5"))
        #expect(Set([decimal("1.50"), decimal("1.5")]).count == 1)
        #expect(decimal("-1408.35").magnitude == decimal("1408.35"))
        #expect(try decimal("25").shifted(right: 2) == decimal("0.25"))
        #expect(decimal("1.50").significantDecimals == 1)
        #expect(decimal("1.505").significantDecimals == 3)
        #expect(decimal("1408.35").exactMoney == Money(ore: 140_835))
        #expect(decimal("1.005").exactMoney == nil)
        #expect(decimal("1.005").roundedMoney == Money(ore: 101))
        #expect(decimal("-1.005").roundedMoney == Money(ore: -101))
    }
}

@Suite struct InvoicePeriodTests {
    @Test func theLinesPeriodComesFirstThenTheDocumentsThenTheIssueMonth() throws {
        let issue = date("2025-03-25")
        #expect(
            InvoicePeriods.range(
                lineStart: "2025-04-15", lineEnd: "2025-04-30", documentStart: "2025-04-01", documentEnd: "2025-04-30", issueDate: issue)
                == date("2025-04-15")...date("2025-04-30"))
        #expect(
            InvoicePeriods.range(lineStart: nil, lineEnd: nil, documentStart: "2025-04-01", documentEnd: "2025-04-30", issueDate: issue)
                == date("2025-04-01")...date("2025-04-30"))
        #expect(
            InvoicePeriods.range(lineStart: nil, lineEnd: nil, documentStart: nil, documentEnd: nil, issueDate: issue)
                == date("2025-03-01")...date("2025-03-31"))
        #expect(
            InvoicePeriods.range(lineStart: "2025-04-10", lineEnd: nil, documentStart: nil, documentEnd: nil, issueDate: issue)
                == date("2025-04-10")...date("2025-04-30"))
    }

    @Test(
        arguments: [
            ("2025-04-01", "2025-06-30", "-24000", ["2025-04": "-7912.09", "2025-05": "-8175.82", "2025-06": "-7912.09"]),
            ("2025-04-16", "2025-05-15", "3000", ["2025-04": "1500", "2025-05": "1500"]),
            ("2025-04-01", "2025-04-30", "8450", ["2025-04": "8450"]),
            ("2025-01-31", "2025-02-01", "0.01", ["2025-01": "0.01", "2025-02": "0"]),
        ] as [(String, String, String, [String: String])])
    func aLongPeriodIsSplitByDaysAndAddsUpExactly(start: String, end: String, amount: String, expected: [String: String]) throws {
        let parts = try InvoicePeriods.split(kr(amount), over: date(start)...date(end))
        #expect(Dictionary(uniqueKeysWithValues: parts.map { ($0.0.description, $0.1) }) == expected.mapValues(kr))
        #expect(try parts.map(\.1).sum() == kr(amount))
    }
}

@Suite struct LeaseMatcherTests {
    let leases = [
        HeadLease(
            id: "TL-0042", landlord: "5569001232", objectID: "0012-1102", district: "SK", reference: "BLK-2023-017",
            terms: ContractTerms(start: date("2024-01-01"), rent: kr("8450"))),
        HeadLease(
            id: "TL-0057", landlord: "5569001232", objectID: "0014-0803", district: "SK", reference: "BLK-2023-017",
            terms: ContractTerms(start: date("2025-04-15"), rent: kr("8060"))),
        HeadLease(
            id: "TL-0060", landlord: "5569001232", objectID: "0020-0101", district: "SK", reference: "BLK-2024-001",
            terms: ContractTerms(start: date("2024-01-01"), rent: kr("7000"))),
        HeadLease(
            id: "HL-000009", landlord: "2021005406", objectID: "0012-1102", district: "RK",
            terms: ContractTerms(start: date("2024-01-01"), rent: kr("6000"))),
    ]
    var matcher: LeaseMatcher { LeaseMatcher(leases: leases, landlords: ["5569001232", "2021005406"]) }

    func line(
        seller: String? = "5569001232", buyer: String? = nil, sellers: String? = nil, object: String? = nil, contracts: [String] = []
    ) -> InvoiceLineRecord {
        InvoiceLineRecord(
            invoiceNumber: "F1", seller: seller, lineID: "1", buyersItemID: buyer, sellersItemID: sellers, objectReference: object,
            contractReferences: contracts, note: nil, amount: kr("100"))
    }

    @Test func theRulesAreTriedInOrder() throws {
        #expect(try matcher.match(line(buyer: "TL-0057", sellers: "0012-1102")).get().lease.id == "TL-0057")
        #expect(try matcher.match(line(buyer: "TL-0057", sellers: "0012-1102")).get().rule == .buyersItemID)
        #expect(try matcher.match(line(buyer: "nope", sellers: "0012-1102")).get().rule == .sellersItemID)
        #expect(try matcher.match(line(object: "0014-0803")).get().lease.id == "TL-0057")
        #expect(try matcher.match(line(object: "TL-0060")).get().rule == .objectReference)
        #expect(try matcher.match(line(contracts: ["BLK-2024-001"])).get().lease.id == "TL-0060")
        #expect(try matcher.match(line(contracts: ["BLK-2024-001"])).get().rule == .contractReference)
    }

    @Test func objectIdsBelongToTheirLandlord() throws {
        #expect(try matcher.match(line(seller: "2021005406", sellers: "0012-1102")).get().lease.id == "HL-000009")
        // Our id of another landlord's lease does not match.
        #expect(throws: LeaseMatcher.UnmatchedReason.self) { try matcher.match(line(seller: "2021005406", buyer: "TL-0042")).get() }
    }

    @Test func whatMatchesNothingSaysWhy() throws {
        #expect(throws: LeaseMatcher.UnmatchedReason.unknownLandlord("5560360793")) { try matcher.match(line(seller: "5560360793")).get() }
        #expect(throws: LeaseMatcher.UnmatchedReason.noLease(tried: ["contract reference BLK-2023-017 (2 leases)"])) {
            try matcher.match(line(contracts: ["BLK-2023-017"])).get()
        }
        #expect(
            throws: LeaseMatcher.UnmatchedReason.noLease(tried: [
                "buyer's item id TL-0001", "seller's item id 9999", "object reference 0099-0101",
                "contract reference BLK-1999-001 (no lease)",
            ])
        ) {
            try matcher.match(line(buyer: "TL-0001", sellers: "9999", object: "0099-0101", contracts: ["BLK-1999-001"])).get()
        }
        #expect(LeaseMatcher.UnmatchedReason.noLease(tried: []).description.contains("names no lease"))
        #expect(
            LeaseMatcher.UnmatchedReason.noLease(tried: ["seller's item id 9999"]).description
                == "no single head lease of this landlord matches: seller's item id 9999")
    }
}

@Suite struct ReconcilerTests {
    let lease = HeadLease(
        id: "TL-1", landlord: "5569001232", objectID: "1", district: "SK",
        terms: ContractTerms(start: date("2025-04-15"), end: date("2025-08-31"), rent: kr("9000")))

    func lines(_ amounts: String...) -> [InvoiceLineRecord] {
        amounts.map {
            InvoiceLineRecord(
                invoiceNumber: "F-\($0)", seller: "5569001232", lineID: "1", buyersItemID: nil, sellersItemID: nil,
                objectReference: nil, contractReferences: [], note: "n", amount: kr($0))
        }
    }

    @Test(
        arguments: [
            // (month, invoiced, today, tolerance, status)
            ("2025-05", ["9000"], "2025-06-01", "0", ReconciliationStatus.ok),
            ("2025-05", ["9000.50"], "2025-06-01", "0", .overbilled),
            ("2025-05", ["9000.50"], "2025-06-01", "1", .ok),
            ("2025-05", ["8000", "-500"], "2025-06-01", "0", .underbilled),
            ("2025-04", ["4800"], "2025-06-01", "0", .ok),  // 16 of 30 days
            ("2025-05", [], "2025-05-11", "0", .missing),
            ("2025-05", [], "2025-05-10", "0", .pending),
            ("2025-09", ["9000"], "2025-10-01", "0", .notExpected),
            ("2025-03", ["100"], "2025-10-01", "0", .notExpected),
        ] as [(String, [String], String, String, ReconciliationStatus)])
    func statuses(month: String, invoiced: [String], today: String, tolerance: String, status: ReconciliationStatus) throws {
        let reconciler = Reconciler(tolerance: kr(tolerance), graceDays: 10, today: date(today))
        let records = invoiced.map {
            InvoiceLineRecord(
                invoiceNumber: "F", seller: nil, lineID: nil, buyersItemID: nil, sellersItemID: nil,
                objectReference: nil, contractReferences: [], note: nil, amount: kr($0))
        }
        let row = try #require(try reconciler.reconcile(lease, period: BillingPeriod(month)!, lines: records))
        #expect(row.status == status)
        #expect(try row.invoiced == records.map(\.amount).sum())
    }

    @Test func aLeaseNeitherActiveNorInvoicedHasNoRow() throws {
        let reconciler = Reconciler(tolerance: .zero, graceDays: 10, today: date("2025-12-01"))
        #expect(try reconciler.reconcile(lease, period: BillingPeriod("2025-10")!, lines: []) == nil)
        let row = try reconciler.reconcile(lease, period: BillingPeriod("2025-05")!, lines: lines("9000", "100"))
        #expect(row?.invoices == ["F-9000", "F-100"])
        #expect(row?.difference == kr("100"))
    }

    @Test func leaseInputIsValidatedFieldByField() throws {
        let result = HeadLease.validate(
            LeaseInput([
                .landlord: "556900-1233", .objectID: "", .district: "S K", .rent: "x", .startDate: "2025-13-01",
                .kind: "weekly",
            ]))
        guard case .failure(let problems) = result else {
            Issue.record("expected problems")
            return
        }
        #expect(Set(problems.problems.map(\.field)) == [.landlord, .objectID, .district, .rent, .startDate, .kind])
    }
}
