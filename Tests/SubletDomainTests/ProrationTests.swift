import SubletDomain
import Testing

private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
private func kr(_ text: String) -> Money { try! Money.parse(text, allowNegative: true) }

@Suite struct ProrationTests {
    static let months = (0..<48).map { BillingPeriod(year: 2024, month: 1)!.advanced(by: $0) }

    @Test(arguments: months)
    func aWholeMonthIsTheFullAmountOnEitherBasis(period: BillingPeriod) throws {
        let terms = ContractTerms(start: date("2020-01-01"), rent: kr("7850.50"), charges: [ChargeSpec(label: "Parkering", amount: kr("450"))])
        for basis in ProrationBasis.allCases {
            let lines = try NoticePlanner.regularLines(for: terms, period: period, basis: basis)!
            #expect(lines.map(\.amount) == [kr("7850.50"), kr("450")])
        }
    }

    @Test(arguments: months)
    func actualDaysChargesDaysOverDaysInMonth(period: BillingPeriod) throws {
        for startDay in 1...period.dayCount {
            let start = CalendarDate(year: period.year, month: period.month, day: startDay)!
            let terms = ContractTerms(start: start, rent: Money(ore: 785_000))
            let days = period.dayCount - startDay + 1
            let expected = Money(ore: 785_000).portion(days, of: period.dayCount)
            #expect(try NoticePlanner.regularTotal(for: terms, period: period, basis: .actualDays) == expected)
        }
    }

    @Test(arguments: months)
    func thirtyDayChargesAThirtiethPerDayCappedAtTheMonth(period: BillingPeriod) throws {
        for endDay in 1...period.dayCount {
            let end = CalendarDate(year: period.year, month: period.month, day: endDay)!
            let terms = ContractTerms(start: date("2020-01-01"), end: end, rent: Money(ore: 900_000))
            let expected = endDay == period.dayCount ? Money(ore: 900_000) : Money(ore: 900_000).portion(min(endDay, 30), of: 30)
            #expect(try NoticePlanner.regularTotal(for: terms, period: period, basis: .thirtyDay) == expected)
        }
    }

    @Test(
        arguments: [
            // (start, end, basis, expected rent for 2026-12)
            ("2026-12-15", nil, ProrationBasis.actualDays, "4304.84"),
            ("2026-12-15", nil, .thirtyDay, "4448.33"),
            ("2026-12-10", nil, .actualDays, "5570.97"),
            ("2026-01-01", "2026-12-01", .actualDays, "253.23"),
            ("2026-01-01", "2026-12-01", .thirtyDay, "261.67"),
            ("2026-12-31", "2026-12-31", .actualDays, "253.23"),
            ("2026-12-02", "2026-12-31", .thirtyDay, "7850.00"),
        ] as [(String, String?, ProrationBasis, String)])
    func partialMonths(start: String, end: String?, basis: ProrationBasis, expected: String) throws {
        let terms = ContractTerms(start: date(start), end: end.map(date), rent: kr("7850"))
        #expect(try NoticePlanner.regularTotal(for: terms, period: BillingPeriod("2026-12")!, basis: basis) == kr(expected))
    }

    @Test(arguments: ProrationBasis.allCases)
    func aMidMonthChangeSplitsTheMonthAndStillSumsToTheFullAmountWhenEqual(basis: ProrationBasis) throws {
        // Two steps with the same price: the month is one run, the full amount.
        let same = ContractTerms(
            start: date("2026-01-01"),
            steps: [
                TermStep(component: ContractTerms.rent, validFrom: date("2026-01-01"), amount: kr("6000")),
                TermStep(component: ContractTerms.rent, validFrom: date("2027-02-15"), amount: kr("6000")),
            ])
        #expect(try NoticePlanner.regularTotal(for: same, period: BillingPeriod("2027-02")!, basis: basis) == kr("6000"))
        // Different prices: each run is prorated; under thirty-day a full month adds up to 30/30.
        let changed = ContractTerms(
            start: date("2026-01-01"),
            steps: [
                TermStep(component: ContractTerms.rent, validFrom: date("2026-01-01"), amount: kr("6000")),
                TermStep(component: ContractTerms.rent, validFrom: date("2027-02-15"), amount: kr("9000")),
            ])
        let expected: Money =
            switch basis {
            case .actualDays: try kr("6000").portion(14, of: 28) + kr("9000").portion(14, of: 28)
            case .thirtyDay: try kr("6000").portion(14, of: 30) + kr("9000").portion(16, of: 30)
            }
        #expect(try NoticePlanner.regularTotal(for: changed, period: BillingPeriod("2027-02")!, basis: basis) == expected)
    }

    @Test(arguments: [
        (Money(ore: 125_000), 25, Money(ore: 25_000)), (Money(ore: 100), 25, Money(ore: 20)), (Money(ore: 10_600), 6, Money(ore: 600)),
        (Money(ore: 785_000), 0, Money.zero), (Money(ore: 85_161), 25, Money(ore: 17_032)),
    ])
    func includedVAT(amount: Money, rate: Int, vat: Money) throws {
        #expect(Proration.includedVAT(in: amount, rate: rate) == vat)
    }
}

@Suite struct NoticePlannerTests {
    let december = BillingPeriod("2026-12")!

    @Test func linesNameTheComponentAndTheDays() throws {
        let terms = ContractTerms(
            start: date("2026-12-10"), end: date("2027-06-30"), rent: kr("6000"),
            charges: [ChargeSpec(label: "Garage", amount: kr("1200"), vatRate: 25)])
        let lines = try #require(try NoticePlanner.regularLines(for: terms, period: december, basis: .actualDays))
        #expect(lines.map(\.text) == ["Hyra 10–31 december 2026", "Garage 10–31 december 2026"])
        #expect(lines.map(\.amount) == [kr("4258.06"), kr("851.61")])
        #expect(lines.map(\.vatAmount) == [.zero, kr("170.32")])
        #expect(lines.map(\.component) == ["Hyra", "Garage"])
        let full = try #require(try NoticePlanner.regularLines(for: terms, period: december.next, basis: .actualDays))
        #expect(full.map(\.text) == ["Hyra januari 2027", "Garage januari 2027"])
    }

    @Test func noNoticeOutsideTheContract() throws {
        let terms = ContractTerms(start: date("2026-12-10"), end: date("2027-06-30"), rent: kr("6000"))
        #expect(try NoticePlanner.regularLines(for: terms, period: december.previous, basis: .actualDays) == nil)
        #expect(try NoticePlanner.regularLines(for: terms, period: BillingPeriod("2027-07")!, basis: .actualDays) == nil)
        #expect(try NoticePlanner.regularTotal(for: terms, period: BillingPeriod("2027-07")!, basis: .actualDays) == .zero)
        #expect(try NoticePlanner.regularLines(for: terms, period: BillingPeriod("2027-06")!, basis: .actualDays)?.map(\.amount) == [kr("6000")])
    }

    @Test func aChargeRemovedMidMonthIsProratedAndThenGone() throws {
        let terms = try ContractTerms(start: date("2026-01-01"), rent: kr("7000"), charges: [ChargeSpec(label: "Förråd", amount: kr("310"))])
            .applying(.removeCharge("förråd", from: date("2026-12-11")))
        let lines = try #require(try NoticePlanner.regularLines(for: terms, period: december, basis: .actualDays))
        #expect(lines.map(\.text) == ["Hyra december 2026", "Förråd 1–10 december 2026"])
        #expect(lines[1].amount == kr("100"))
        #expect(try NoticePlanner.regularLines(for: terms, period: december.next, basis: .actualDays)?.map(\.text) == ["Hyra januari 2027"])
    }
}

@Suite struct TermChangeTests {
    let base = ContractTerms(start: date("2026-01-15"), rent: kr("7850"), charges: [ChargeSpec(label: "Parkering", amount: kr("450"))])

    @Test func aChangeLastsUntilTheNextRegisteredStep() throws {
        let terms =
            try base
            .applying(.rent(kr("8300"), from: date("2026-06-01")))
            .applying(.rent(kr("8100"), from: date("2026-03-10")))
        #expect(terms.step(of: "Hyra", on: date("2026-03-09"))?.amount == kr("7850"))
        #expect(terms.step(of: "Hyra", on: date("2026-03-10"))?.amount == kr("8100"))
        #expect(terms.step(of: "Hyra", on: date("2026-05-31"))?.amount == kr("8100"))
        #expect(terms.step(of: "Hyra", on: date("2026-06-01"))?.amount == kr("8300"))
        let march = terms.segments(of: "Hyra", within: date("2026-03-01")...date("2026-03-31"))
        #expect(march.map(\.days) == [9, 22])
        // A second change on the same date replaces the first.
        let replaced = try terms.applying(.rent(kr("8200"), from: date("2026-03-10")))
        #expect(replaced.steps.filter { $0.component == "Hyra" }.count == 3)
        #expect(replaced.step(of: "Hyra", on: date("2026-04-01"))?.amount == kr("8200"))
    }

    @Test func chargeLabelsMatchIgnoringCase() throws {
        let terms = try base.applying(.charge(ChargeSpec(label: "PARKERING", amount: kr("500")), from: date("2026-04-01")))
        #expect(terms.componentNames == ["Hyra", "Parkering"])
        #expect(terms.step(of: "Parkering", on: date("2026-04-01"))?.amount == kr("500"))
    }

    @Test(arguments: [
        (TermChange.rent(Money(ore: 1), from: CalendarDate("2026-01-14")!), "before the contract starts"),
        (.removeCharge("Förråd", from: CalendarDate("2026-03-01")!), "has no charge 'Förråd'"),
        (.removeCharge("Hyra", from: CalendarDate("2026-03-01")!), "is the rent itself"),
        (.end(CalendarDate("2026-01-14")!), "before the start date"),
    ])
    func impossibleChangesSayWhy(change: TermChange, message: String) throws {
        do {
            _ = try base.applying(change)
            Issue.record("expected \(change) to be refused")
        } catch {
            #expect(error.message.contains(message))
        }
    }

    @Test func nothingChangesAfterTheEnd() throws {
        let ended = try base.applying(.end(date("2026-08-31")))
        #expect(throws: FieldError.self) { try ended.applying(.rent(kr("9000"), from: date("2026-09-01"))) }
        #expect(ended.isActive(on: date("2026-08-31")))
        #expect(!ended.isActive(on: date("2026-09-01")))
    }

    @Test func anEarlierStartCarriesTheFirstTerms() throws {
        let terms = try base.applying(.start(date("2025-12-01")))
        #expect(terms.start == date("2025-12-01"))
        #expect(terms.step(of: "Hyra", on: date("2025-12-01"))?.amount == kr("7850"))
        #expect(terms.step(of: "Parkering", on: date("2025-12-01"))?.amount == kr("450"))
    }

    @Test func aLaterStartKeepsTheTermsInForceThen() throws {
        let terms =
            try base
            .applying(.rent(kr("8000"), from: date("2026-02-01")))
            .applying(.rent(kr("8500"), from: date("2026-05-01")))
            .applying(.start(date("2026-03-01")))
        #expect(terms.start == date("2026-03-01"))
        #expect(terms.steps.filter { $0.component == "Hyra" }.map(\.validFrom) == [date("2026-03-01"), date("2026-05-01")])
        #expect(terms.step(of: "Hyra", on: date("2026-03-01"))?.amount == kr("8000"))
    }
}
