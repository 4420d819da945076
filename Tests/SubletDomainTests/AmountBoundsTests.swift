import PropertyBased
import SubletDomain
import Testing

/// Issue #7: amounts have documented bounds, and no amount, however large, traps.
@Suite struct AmountBoundsTests {
    /// Digits, a sign and a decimal point in any arrangement, up to 60 characters: what a hostile
    /// file can put in an amount element.
    static let numberText = Gen.oneOf(
        Gen.int(in: 0...9).array(of: 1...60).map { digits in String(digits.map { Character(String($0)) }) },
        Gen.int(in: 0...11).array(of: 1...45).map { codes in String(codes.map { Array("0123456789-.")[$0] }) },
        Gen.int(in: 0...9).map {
            [
                "0", "1", "99999999999999999999", "100000000000", "100000000000.01", "-100000000000", "0.000000000000000001",
                "170141183460469231731687303715884105727", "99999999999999999.99", "50000000000000000.00",
            ][$0]
        }
    )

    /// Parsing never traps; what parses obeys the laws of exact arithmetic, or throws `Overflow`.
    @Test func exactDecimalsParseAndComputeWithoutTrapping() async {
        await propertyCheck(count: 3_000, input: Self.numberText, Self.numberText) { left, right in
            guard let a = ExactDecimal(left), let b = ExactDecimal(right) else { return }
            if let sum = try? a + b, let back = try? sum - b { #expect(back == a) }
            if let difference = try? a - b { #expect((a < b) == difference.isNegative) }
            #expect((try? a * b) == (try? b * a))
            #expect((a == b) == (!(a < b) && !(b < a)))
            _ = try? a.roundedToCents
            _ = a.roundedMoney
            _ = a.exactMoney
        }
    }

    /// Any amount text in an invoice's totals and lines: identification either accepts the
    /// document or names the element and where it is; the rules never trap.
    @Test func invoicesWithAnyAmountsAreCheckedWithoutTrapping() async {
        await propertyCheck(count: 1_500, input: Self.numberText, Self.numberText, Self.numberText) { amount, quantity, price in
            var invoice = SupplierInvoice(kind: .invoice)
            invoice.number = "F-1"
            invoice.issueDate = "2025-04-01"
            invoice.currency = "SEK"
            invoice.seller.legalCompanyID = "5569001232"
            let at = SupplierInvoice.Position(line: 7, column: 5)
            for element in [\SupplierInvoice.lineExtensionAmount, \.taxExclusiveAmount, \.taxInclusiveAmount, \.payableAmount] {
                invoice[keyPath: element] = SupplierInvoice.Amount(text: amount, currency: "SEK", position: at)
            }
            var line = SupplierInvoice.Line()
            line.id = "1"
            line.amount = SupplierInvoice.Amount(text: amount, currency: "SEK", position: SupplierInvoice.Position(line: 12, column: 9))
            line.quantity = quantity
            line.quantityPosition = SupplierInvoice.Position(line: 13, column: 9)
            line.priceAmount = SupplierInvoice.Amount(text: price, currency: "SEK", position: SupplierInvoice.Position(line: 14, column: 9))
            invoice.lines = [line, line]
            var total = SupplierInvoice.TaxTotal()
            total.taxAmount = SupplierInvoice.Amount(text: price, currency: "SEK", position: at)
            var subtotal = SupplierInvoice.TaxSubtotal()
            subtotal.taxableAmount = SupplierInvoice.Amount(text: amount, currency: "SEK", position: at)
            subtotal.taxAmount = SupplierInvoice.Amount(text: price, currency: "SEK", position: at)
            subtotal.category = "S"
            subtotal.percent = quantity
            total.subtotals = [subtotal]
            invoice.taxTotals = [total]

            let problems = invoice.identificationProblems()
            let inBounds = [amount, quantity, price].allSatisfy { ExactDecimal($0).map { $0.magnitude <= ExactDecimal.invoiceLimit } ?? false }
            #expect(problems.isEmpty == inBounds, "\(problems)")
            for problem in problems where problem.message.contains("beyond") {
                #expect(problem.line > 0 && problem.column > 0, "\(problem)")
            }
            _ = InvoiceRules.check(invoice)
        }
    }

    @Test func anAmountBeyondTheInvoiceBoundIsLocatedAtItsElement() {
        var invoice = SupplierInvoice(kind: .invoice)
        invoice.number = "F-1"
        invoice.issueDate = "2025-04-01"
        invoice.currency = "SEK"
        invoice.seller.legalCompanyID = "5569001232"
        for element in [\SupplierInvoice.lineExtensionAmount, \.taxExclusiveAmount, \.taxInclusiveAmount] {
            invoice[keyPath: element] = SupplierInvoice.Amount(text: "100", currency: "SEK")
        }
        invoice.payableAmount = SupplierInvoice.Amount(
            text: "99999999999999999.99", currency: "SEK", position: SupplierInvoice.Position(line: 40, column: 13))
        let problems = invoice.identificationProblems()
        #expect(
            problems.map(\.description) == [
                "line 40, column 13: PayableAmount '99999999999999999.99' is beyond ±100 000 000 000, the largest amount or quantity Sublet accepts in an invoice"
            ])
    }

    @Test(arguments: [("1000000", true), ("1 000 000,00", true), ("1000000,01", false), ("9999999999999,99", false)])
    func aContractsRentIsAtMostAMillionKronor(rent: String, accepted: Bool) {
        let input = ContractInput(
            district: "RK", tenantName: "Anna", personalNumber: "19850312-1231", address: "Kistagången 2",
            start: "2026-01-01", rent: rent, charges: ["Parkering=\(rent)"])
        let result = ContractDraft.validate(input, today: CalendarDate("2026-11-26")!)
        switch result {
        case .success: #expect(accepted)
        case .failure(let problems):
            #expect(!accepted)
            #expect(Set(problems.problems.map(\.field)) == [.rent, .charges])
        }
    }

    @Test func aContractHasAtMostFiftyCharges() throws {
        func input(_ count: Int) -> ContractInput {
            ContractInput(
                district: "RK", tenantName: "Anna", personalNumber: "19850312-1231", address: "Kistagången 2", start: "2026-01-01",
                rent: "7850", charges: (1...count).map { "Avgift \($0)=10" })
        }
        let today = CalendarDate("2026-11-26")!
        let fifty = try ContractDraft.validate(input(50), today: today).get()
        #expect(fifty.terms.componentNames.count == 51)
        guard case .failure(let problems) = ContractDraft.validate(input(51), today: today) else {
            Issue.record("51 charges accepted")
            return
        }
        #expect(problems.problems == [FieldProblem(.charges, "51 charges; a contract has at most 50")])
        // Nor can a change add a 51st.
        #expect(throws: FieldError("the contract already has 50 charges, the most it may have")) {
            try fifty.terms.applying(.charge(ChargeSpec(label: "En till", amount: Money(kronor: 1)), from: CalendarDate("2026-06-01")!))
        }
        _ = try fifty.terms.applying(.charge(ChargeSpec(label: "Avgift 7", amount: Money(kronor: 20)), from: CalendarDate("2026-06-01")!))
    }

    /// Stored terms from before the bounds (a legacy database): the planners throw, never trap.
    @Test func termsBeyondEveryBoundThrowInsteadOfTrapping() throws {
        let huge = Money(ore: Int.max / 2)
        let terms = ContractTerms(
            start: CalendarDate("2026-01-01")!, rent: huge,
            charges: [ChargeSpec(label: "A", amount: huge), ChargeSpec(label: "B", amount: huge)])
        #expect(throws: MoneyOverflow.self) { try NoticePlanner.regularTotal(for: terms, period: BillingPeriod("2026-03")!, basis: .actualDays) }
        let lease = HeadLease(
            id: "TL-1", landlord: "5569001232", objectID: "1", district: "SK", terms: ContractTerms(start: CalendarDate("2025-01-01")!, rent: .zero))
        let line = InvoiceLineRecord(
            invoiceNumber: "F", seller: "5569001232", lineID: "1", buyersItemID: "TL-1", sellersItemID: nil,
            objectReference: nil, contractReferences: [], note: nil, amount: huge)
        let reconciler = Reconciler(tolerance: .zero, graceDays: 10, today: CalendarDate("2025-05-20")!)
        #expect(throws: ReconciliationOverflow(lease: "TL-1", period: BillingPeriod("2025-04")!)) {
            try reconciler.reconcile(lease, period: BillingPeriod("2025-04")!, lines: [line, line, line])
        }
    }
}
