import SubletDomain
import Testing

private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func month(_ text: String) -> BillingPeriod { BillingPeriod(text)! }
private func kr(_ text: String) -> Money { try! Money.parse(text, allowNegative: true) }

/// Issue #8: the billing policy is unit-tested without SQLite.
@Suite struct NumberingTests {
    @Test(arguments: [
        (NumberSeries.contracts, "AH-000007"), (.leases, "HL-000007"), (.notices(2026), "2026-000007"),
        (.corrections(2026), "K-2026-000007"), (.refunds(2027), "R-2027-000007"),
    ])
    func everySeriesWritesItsNumbers(series: NumberSeries, seventh: String) {
        var numbering = DocumentNumbering(series: series, last: 6)
        #expect(numbering.next() == seventh)
        #expect(numbering.last == 7)
        #expect(series.value(of: seventh) == 7)
    }

    @Test func aCarriedOverNumberInOurOwnFormMovesTheSeriesPastIt() {
        var numbering = DocumentNumbering(series: .contracts, last: 3)
        numbering.observe("L-0000042")
        #expect(numbering.last == 3)
        numbering.observe("AH-000041")
        #expect(numbering.next() == "AH-000042")
        numbering.observe("AH-000010")
        #expect(numbering.last == 42)
        #expect(NumberSeries.contracts.counterName == "contract" && NumberSeries.notices(2026).counterName == "notice-2026")
    }
}

@Suite struct NoticeRunPlannerTests {
    static let request = NoticeRunRequest(
        period: month("2026-12"), issueDate: date("2026-11-26"), minimumDays: 10, basis: .actualDays,
        ocrLengthDigit: true, dryRun: false)

    static func planner() -> NoticeRunPlanner {
        NoticeRunPlanner(
            request: request, alreadyIssued: 0, lastNoticeID: 41, notices: DocumentNumbering(series: .notices(2026), last: 9),
            refunds: DocumentNumbering(series: .refunds(2026), last: 0))
    }

    static let terms = ContractTerms(start: date("2026-01-01"), rent: kr("7850"), charges: [ChargeSpec(label: "Parkering", amount: kr("450"))])

    @Test func aRegularNoticeIsNumberedDatedAndGivenItsOCRReference() throws {
        var planner = Self.planner()
        let plan = try planner.regular(contractID: 7, contract: "AH-000007", terms: Self.terms, pending: [])
        let draft = try #require(plan.notices.first)
        #expect(draft.id == 42 && draft.contractID == 7)
        #expect(draft.notice.number == "2026-000010")
        #expect(draft.notice.ocr == OCRReference.forNotice(id: 42, lengthDigit: true))
        #expect(OCRReference.isValid(draft.notice.ocr, lengthDigit: true))
        #expect(draft.notice.dueDate == date("2026-12-07"))  // at least ten days after the issue date
        #expect(draft.notice.lines.map(\.text) == ["Hyra december 2026", "Parkering december 2026"])
        #expect(draft.notice.total == kr("8300"))
        #expect(planner.report.issued == 1 && planner.report.total == kr("8300") && planner.notices.last == 10)
        // Not active in the month: nothing.
        let ended = ContractTerms(start: date("2026-01-01"), end: date("2026-11-30"), rent: kr("7850"))
        #expect(try planner.regular(contractID: 8, contract: "AH-000008", terms: ended, pending: []) == NoticeRunPlan())
    }

    @Test func aCreditLargerThanTheNoticeLeavesItAtZeroAndBecomesARefund() throws {
        var planner = Self.planner()
        let credit = PendingMonth(
            correctionID: 5,
            item: PendingCorrection(
                correction: "K-2026-000001", period: month("2026-10"),
                notice: "2026-000001", difference: kr("-9000")))
        let plan = try planner.regular(contractID: 7, contract: "AH-000007", terms: Self.terms, pending: [credit])
        #expect(plan.notices.first?.notice.total == .zero)
        #expect(
            plan.refunds == [
                RefundDraft(number: "R-2026-000001", contractID: 7, amount: kr("700"), noticeID: 42, text: "Kredit över avi 2026-000010")
            ])
        #expect(plan.settlements == [CorrectionSettlement(correctionID: 5, period: month("2026-10"), noticeID: 42, refundNumber: nil)])
        #expect(planner.report.refunds == 1 && planner.report.refundTotal == kr("700") && planner.report.correctionLines == 1)
    }

    @Test func anEndedContractGetsACorrectionNoticeForADebitAndARefundForACredit() throws {
        var planner = Self.planner()
        let debit = [
            PendingMonth(
                correctionID: 1, item: PendingCorrection(correction: "K-2026-000002", period: month("2026-09"), notice: nil, difference: kr("250")))
        ]
        let notice = try planner.ended(contractID: 3, contract: "AH-000003", pending: debit)
        #expect(notice.notices.first?.notice.kind == .correction)
        #expect(notice.notices.first?.notice.dueDate == date("2026-12-28"))
        let credit = debit.map {
            var month = $0
            month.item.difference = kr("-250")
            return month
        }
        let refund = try planner.ended(contractID: 3, contract: "AH-000003", pending: credit)
        #expect(refund.refunds.first?.text == "Retroaktiv justering K-2026-000002")
        #expect(refund.settlements.first?.refundNumber == "R-2026-000001")
        #expect(try planner.ended(contractID: 3, contract: "AH-000003", pending: debit + credit) == NoticeRunPlan())
    }

    @Test func aCatchUpNoticeBillsTheMissedMonthDueTenDaysOn() throws {
        var planner = Self.planner()
        let late = ContractTerms(start: date("2026-10-15"), rent: kr("7000"))
        let plan = try planner.catchUp(contractID: 9, contract: "AH-000009", terms: late, month: month("2026-10"))
        #expect(plan.notices.first?.notice.period == month("2026-10"))
        #expect(plan.notices.first?.notice.dueDate == date("2026-12-07"))
        #expect(plan.notices.first?.notice.total == kr("7000").portion(17, of: 31))
        #expect(planner.report.catchUpNotices == 1)
        #expect(
            NoticeRunPlanner.missedMonths(
                closed: [month("2026-09"), month("2026-10"), month("2026-11")], firstNoticed: month("2026-11"),
                corrected: [month("2026-09")]) == [month("2026-10")])
        #expect(NoticeRunPlanner.missedMonths(closed: [month("2026-10")], firstNoticed: nil, corrected: []) == [month("2026-10")])
    }

    @Test func amountsOutOfRangeStopTheRunNamingTheContract() {
        var planner = Self.planner()
        let huge = ContractTerms(
            start: date("2026-01-01"), rent: Money(ore: .max / 2),
            charges: [ChargeSpec(label: "A", amount: Money(ore: .max / 2)), ChargeSpec(label: "B", amount: Money(ore: .max / 2))])
        #expect(throws: NoticeRunError(contract: "AH-000666", period: month("2026-12"))) {
            try planner.regular(contractID: 666, contract: "AH-000666", terms: huge, pending: [])
        }
        #expect(planner.report.issued == 0)
    }
}

@Suite struct InvoiceFilingTests {
    static func document(
        kind: SupplierInvoice.Kind = .invoice, amount: String = "3000.00", period: (String, String)? = ("2025-04-16", "2025-05-15")
    ) -> SupplierInvoice {
        var document = SupplierInvoice(kind: kind)
        document.number = "F-1"
        document.issueDate = "2025-03-25"
        document.seller.legalCompanyID = "5569001232"
        document.payableAmount = SupplierInvoice.Amount(text: amount, currency: "SEK")
        var line = SupplierInvoice.Line()
        line.id = "1"
        line.amount = SupplierInvoice.Amount(text: amount, currency: "SEK")
        line.periodStart = period?.0
        line.periodEnd = period?.1
        document.lines = [line]
        return document
    }

    @Test func aCreditNoteCountsNegativeAndALongPeriodIsSplitByDays() throws {
        let filed = try InvoiceFiling.file(Self.document(kind: .creditNote), duplicateOf: nil)
        #expect(filed.payable == kr("-3000"))
        #expect(filed.lines.first?.amount == kr("-3000"))
        #expect(filed.lines.first?.months.map(\.period) == [month("2025-04"), month("2025-05")])
        #expect(filed.lines.first?.months.map(\.amount) == [kr("-1500"), kr("-1500")])
        #expect(filed.periods == [month("2025-04"), month("2025-05")])
        #expect(filed.findings.allSatisfy { $0.kind == .ruleFailure })
    }

    @Test func aDuplicateBillsNoMonthAndSaysWhoseCopyItIs() throws {
        let filed = try InvoiceFiling.file(Self.document(), duplicateOf: 12)
        #expect(filed.lines.allSatisfy { $0.months.isEmpty })
        #expect(filed.periods.isEmpty)
        #expect(
            filed.findings == [
                FiledInvoice.Finding(
                    kind: .duplicateInvoice, rule: nil, line: nil,
                    message: "invoice F-1 from 5569001232 was taken in before (invoice id 12); this copy never counts")
            ])
        #expect(InvoiceFiling.identity(seller: "5569001232", number: "F-1") != InvoiceFiling.identity(seller: nil, number: "F-1"))
    }
}

@Suite struct ReconciliationAssemblyTests {
    @Test func linesAreMatchedAsReceivedAndShownMasked() throws {
        let landlord = Landlord(organisationNumber: try OrganisationNumber(parsing: "556900-1232"), name: "Exempelbostäder AB")
        let lease = HeadLease(
            id: "TL-1", landlord: "5569001232", objectID: "0012-1102", district: "SK",
            terms: ContractTerms(start: date("2025-01-01"), rent: kr("8450")))
        func line(_ item: String?, _ note: String) -> (line: InvoiceLineRecord, sellerName: String?) {
            (
                InvoiceLineRecord(
                    invoiceNumber: "F-8503121231", seller: "5569001232", lineID: "1", buyersItemID: item, sellersItemID: nil,
                    objectReference: nil, contractReferences: [], note: note, amount: kr("8450")), "Exempelbostäder AB"
            )
        }
        let reconciliation = try Reconciliation.assemble(
            period: month("2025-04"), leases: [lease], landlords: [landlord],
            lines: [line("TL-1", "Hyresgäst 19850312-1231"), line("850312-1231", "okänd")], findings: [], district: nil,
            reconciler: Reconciler(tolerance: .zero, graceDays: 10, today: date("2025-05-20"))
        )
        #expect(reconciliation.rows.map(\.status) == [.ok])
        #expect(reconciliation.rows.first?.notes == ["Hyresgäst 19850312-****"])
        #expect(reconciliation.rows.first?.invoices == ["F-850312****"])
        #expect(reconciliation.unmatched.count == 1)
        #expect(reconciliation.unmatched.first?.reason.contains("buyer's item id 850312-****") == true)
        #expect(reconciliation.landlordNames == ["5569001232": "Exempelbostäder AB"])
    }
}

/// Issue #10: a notice the tenant can check: a line per price step, a single day named as one,
/// and no line for a charge that prorates to nothing.
@Suite struct PriceStepLineTests {
    static let february = BillingPeriod("2027-02")!

    @Test func aMonthWithTwoPricesGetsALinePerStep() throws {
        var terms = ContractTerms(start: CalendarDate("2027-02-04")!, end: nil, rent: Money(kronor: 8000))
        terms = try terms.applying(.rent(Money(kronor: 9000), from: CalendarDate("2027-02-19")!))
        let lines = try #require(try NoticePlanner.regularLines(for: terms, period: Self.february, basis: .actualDays))
        #expect(lines.map(\.text) == ["Hyra 4–18 februari 2027", "Hyra 19–28 februari 2027"])
        #expect(lines.map(\.amount) == [Money(kronor: 8000).portion(15, of: 28), Money(kronor: 9000).portion(10, of: 28)])
        #expect(try lines.map(\.amount).sum() == NoticePlanner.regularTotal(for: terms, period: Self.february, basis: .actualDays))
    }

    @Test func aWholeMonthAtOnePriceIsOneLine() throws {
        let terms = ContractTerms(start: CalendarDate("2026-01-01")!, end: nil, rent: Money(kronor: 8000))
        let lines = try #require(try NoticePlanner.regularLines(for: terms, period: Self.february, basis: .thirtyDay))
        #expect(lines.map(\.text) == ["Hyra februari 2027"])
    }

    @Test(arguments: [ProrationBasis.actualDays, .thirtyDay])
    func aSingleDayIsNamedAsOne(basis: ProrationBasis) throws {
        let terms = ContractTerms(start: CalendarDate("2026-01-01")!, end: CalendarDate("2027-02-01")!, rent: Money(kronor: 8000))
        let lines = try #require(try NoticePlanner.regularLines(for: terms, period: Self.february, basis: basis))
        #expect(lines.map(\.text) == ["Hyra 1 februari 2027"])
    }

    @Test func aChargeThatProratesToNothingPrintsNoLine() throws {
        let terms = ContractTerms(
            start: CalendarDate("2026-01-01")!, end: CalendarDate("2027-02-01")!, rent: Money(kronor: 8000),
            charges: [ChargeSpec(label: "Nyckelbricka", amount: Money(ore: 10))])
        let lines = try #require(try NoticePlanner.regularLines(for: terms, period: Self.february, basis: .actualDays))
        #expect(lines.map(\.text) == ["Hyra 1 februari 2027"])
        #expect(try NoticePlanner.regularTotal(for: terms, period: Self.february, basis: .actualDays) == lines[0].amount)
    }
}
