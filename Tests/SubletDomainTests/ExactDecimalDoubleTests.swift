import PropertyBased
import SubletDomain
import Testing

/// Comparing a double with an exact decimal, exactly (BR-S-08's floating-point arithmetic).
@Suite struct ExactDecimalDoubleTests {
    @Test(arguments: [
        (1233.56, "1233.56", ExactDecimal.Comparison.doubleIsLess),  // 1233.56 as a double is 1233.5599999999999454…
        (1234.56 - 1, "1233.56", .doubleIsLess),
        (0.5, "0.5", .equal), (0.5, "0.50", .equal), (-0.5, "-0.5", .equal), (1000, "1000.00", .equal),
        (0.1, "0.1", .doubleIsGreater),  // 0.1000000000000000055…
        (-0.1, "-0.1", .doubleIsLess),
        (2, "-3", .doubleIsGreater), (-2, "3", .doubleIsLess), (0, "0.00", .equal), (0, "0.01", .doubleIsLess), (0, "-0.01", .doubleIsGreater),
        (1e30, "100000000000", .doubleIsGreater), (-1e30, "-100000000000", .doubleIsLess),
        (Double.leastNonzeroMagnitude, "0.000000000000000001", .doubleIsLess),
    ])
    func knownComparisons(double: Double, decimal: String, expected: ExactDecimal.Comparison) throws {
        #expect(try #require(ExactDecimal(decimal)).compare(double: double) == expected)
    }

    /// Whole numbers of cents that a double holds exactly agree with the double's own order.
    @Test func quartersCompareLikeDoubles() async {
        await propertyCheck(input: Gen.int(in: -4_000_000...4_000_000), Gen.int(in: -4_000_000...4_000_000)) { a, b in
            let double = Double(a) / 4  // exact in binary
            let decimal = ExactDecimal(units: Int128(b) * 25, scale: 2)
            let expected: ExactDecimal.Comparison = double < Double(b) / 4 ? .doubleIsLess : (double > Double(b) / 4 ? .doubleIsGreater : .equal)
            #expect(decimal.compare(double: double) == expected)
        }
    }
}
