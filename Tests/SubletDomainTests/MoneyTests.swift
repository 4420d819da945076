import SubletDomain
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("7850", 785_000), ("7850.00", 785_000), ("7850,00", 785_000), ("7 850,50", 785_050),
        ("7\u{00A0}850,50", 785_050), ("7\u{202F}850.5", 785_050), ("0,05", 5), ("12.3", 1230), ("1 234 567,89", 123_456_789),
        (" 450 ", 45000), ("+100", 10000), ("0", 0), ("007", 700),
    ])
    func parsesAccepted(text: String, ore: Int) throws {
        #expect(try Money.parse(text) == Money(ore: ore))
    }

    @Test(arguments: ["", "   ", "abc", "7850.001", "7,850.00", "78 50", "7 8500", "1e3", "7850.", ".50", ",5", "12 ,50", "7850kr", "--5", "5-", "1.2.3"])
    func rejectsMalformed(text: String) {
        #expect(throws: MoneyParseError.self) { try Money.parse(text) }
    }

    @Test func namesTheReason() {
        #expect(throws: MoneyParseError.empty) { try Money.parse("") }
        #expect(throws: MoneyParseError.tooManyDecimals("1,234")) { try Money.parse("1,234") }
        #expect(throws: MoneyParseError.negativeNotAllowed("-100")) { try Money.parse("-100") }
        #expect(throws: MoneyParseError.tooLarge("99999999999999")) { try Money.parse("99999999999999") }
    }

    @Test(arguments: [("-12,50", -1250), ("−3", -300), ("-0", 0)])
    func parsesNegativeWhereAllowed(text: String, ore: Int) throws {
        #expect(try Money.parse(text, allowNegative: true) == Money(ore: ore))
    }

    @Test(arguments: [
        (785_000, "7850.00", "7\u{00A0}850,00", "7850,00"), (5, "0.05", "0,05", "0,05"), (-1250, "-12.50", "-12,50", "-12,50"),
        (123_456_789, "1234567.89", "1\u{00A0}234\u{00A0}567,89", "1234567,89"), (0, "0.00", "0,00", "0,00"),
        (100_000, "1000.00", "1\u{00A0}000,00", "1000,00"), (99_999, "999.99", "999,99", "999,99"),
    ])
    func formats(ore: Int, plain: String, swedish: String, plainSwedish: String) {
        let money = Money(ore: ore)
        #expect(money.plain == plain)
        #expect(money.swedish == swedish)
        #expect(money.plainSwedish == plainSwedish)
    }

    @Test(arguments: [(785_000, 0), (5, 1), (-1250, 7), (123_456_789, 12), (1, 31)])
    func plainRoundTrips(ore: Int, _: Int) throws {
        let money = Money(ore: ore)
        #expect(try Money.parse(money.plain, allowNegative: true) == money)
        #expect(try Money.parse(money.swedish, allowNegative: true) == money)
    }

    @Test(arguments: [
        // (öre, numerator, denominator, expected): half away from zero.
        (5, 1, 2, 3), (-5, 1, 2, -3), (4, 1, 2, 2), (785_000, 17, 31, 430_484), (785_000, 1, 31, 25323),
        (600_000, 22, 31, 425_806), (100, 1, 3, 33), (200, 1, 3, 67), (-200, 1, 3, -67), (785_000, 31, 31, 785_000),
    ])
    func scalesRoundingHalfAwayFromZero(ore: Int, numerator: Int, denominator: Int, expected: Int) {
        #expect(Money(ore: ore).scaled(by: numerator, over: denominator) == Money(ore: expected))
    }
}
