import PropertyBased
import SubletDomain
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("7850", 785_000), ("7850.00", 785_000), ("7850,00", 785_000), ("7 850,50", 785_050),
        ("7\u{00A0}850,50", 785_050), ("7\u{202F}850.5", 785_050), ("0,05", 5), ("12.3", 1230), ("123 456,78", 12_345_678),
        (" 450 ", 45000), ("+100", 10000), ("0", 0), ("007", 700), ("1 000 000", 100_000_000),
    ])
    func parsesAccepted(text: String, ore: Int) throws {
        #expect(try Money.parse(text) == Money(ore: ore))
    }

    @Test func groupsOfThousandsBeyondTheMonthlyBoundParseWithALargerLimit() throws {
        #expect(try Money.parse("1 234 567,89", limit: Money(kronor: 10_000_000)) == Money(ore: 123_456_789))
    }

    /// Issue #7: a monthly amount is at most 1 000 000 kr; anything larger, however many digits,
    /// is a clear rejection and never an overflow.
    @Test(arguments: ["1000000,01", "1 000 001", "9999999999999,99", "99999999999999999,99", "999999999999999999999999999999", "-1000000,01"])
    func amountsBeyondTheBoundAreRejected(text: String) {
        #expect(throws: MoneyParseError.tooLarge(text, limit: .monthlyLimit)) { try Money.parse(text, allowNegative: true) }
    }

    @Test(arguments: [
        "", "   ", "abc", "7850.001", "7,850.00", "78 50", "7 8500", "1e3", "7850.", ".50", ",5", "12 ,50", "7850kr", "--5", "5-", "1.2.3",
    ])
    func rejectsMalformed(text: String) throws {
        #expect(throws: MoneyParseError.self) { try Money.parse(text) }
    }

    @Test func namesTheReason() {
        #expect(throws: MoneyParseError.empty) { try Money.parse("") }
        #expect(throws: MoneyParseError.tooManyDecimals("1,234")) { try Money.parse("1,234") }
        #expect(throws: MoneyParseError.negativeNotAllowed("-100")) { try Money.parse("-100") }
        #expect(throws: MoneyParseError.tooLarge("99999999999999", limit: .monthlyLimit)) { try Money.parse("99999999999999") }
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
    func formats(ore: Int, plain: String, swedish: String, plainSwedish: String) throws {
        let money = Money(ore: ore)
        #expect(money.plain == plain)
        #expect(money.swedish == swedish)
        #expect(money.plainSwedish == plainSwedish)
    }

    @Test(arguments: [(785_000, 0), (5, 1), (-1250, 7), (123_456_789, 12), (1, 31)])
    func plainRoundTrips(ore: Int, _: Int) throws {
        let money = Money(ore: ore)
        let limit = Money(ore: 1 << 60)
        #expect(try Money.parse(money.plain, allowNegative: true, limit: limit) == money)
        #expect(try Money.parse(money.swedish, allowNegative: true, limit: limit) == money)
    }

    @Test(arguments: [
        // (öre, numerator, denominator, expected): half away from zero.
        (5, 1, 2, 3), (-5, 1, 2, -3), (4, 1, 2, 2), (785_000, 17, 31, 430_484), (785_000, 1, 31, 25323),
        (600_000, 22, 31, 425_806), (100, 1, 3, 33), (200, 1, 3, 67), (-200, 1, 3, -67), (785_000, 31, 31, 785_000),
    ])
    func scalesRoundingHalfAwayFromZero(ore: Int, numerator: Int, denominator: Int, expected: Int) throws {
        #expect(try Money(ore: ore).scaled(by: numerator, over: denominator) == Money(ore: expected))
    }

    /// The law of checked arithmetic: `+`, `-`, `scaled` and `sum` give the exact (128-bit) result
    /// when it fits 64 bits and throw `MoneyOverflow` exactly when it does not; never a trap.
    @Test func checkedArithmeticIsExactOrThrows() async {
        let edge = Gen.oneOf(
            Gen.int(in: Int.min...Int.max), Gen.int(in: -1_000...1_000), Gen.int(in: (Int.max - 1_000)...Int.max),
            Gen.int(in: Int.min...(Int.min + 1_000)))
        await propertyCheck(count: 2_000, input: edge, edge, Gen.int(in: -1_000...1_000), Gen.int(in: 1...1_000)) { a, b, numerator, denominator in
            func expectExact(_ exact: Int128, _ body: () throws(MoneyOverflow) -> Money) {
                if let fits = Int(exactly: exact) {
                    #expect((try? body()) == Money(ore: fits))
                } else {
                    #expect(throws: MoneyOverflow.self) { try body() }
                }
            }
            let (x, y) = (Money(ore: a), Money(ore: b))
            expectExact(Int128(a) + Int128(b)) { () throws(MoneyOverflow) in try x + y }
            expectExact(Int128(a) - Int128(b)) { () throws(MoneyOverflow) in try x - y }
            expectExact(-Int128(a)) { () throws(MoneyOverflow) in try -x }
            expectExact(Int128(a) + Int128(b) + Int128(b)) { () throws(MoneyOverflow) in try [x, y, y].sum() }
            let product = Int128(a) * Int128(numerator)
            var quotient = product / Int128(denominator)
            if 2 * (product % Int128(denominator)).magnitude >= UInt128(denominator) { quotient += product < 0 ? -1 : 1 }
            expectExact(quotient) { () throws(MoneyOverflow) in try x.scaled(by: numerator, over: denominator) }
        }
    }

    /// A portion (0 … whole of whole) never exceeds the amount, so it never overflows, even at the
    /// ends of the range.
    @Test(arguments: [Int.min, Int.min + 1, -1, 0, 1, Int.max - 1, Int.max])
    func portionsOfAnyAmountStayWithinIt(ore: Int) {
        for (part, whole) in [(0, 31), (1, 31), (15, 31), (31, 31), (25, 125), (29, 30)] {
            #expect(Money(ore: ore).portion(part, of: whole).magnitude <= Money(ore: ore).magnitude)
        }
    }
}
