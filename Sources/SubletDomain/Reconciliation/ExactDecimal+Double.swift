extension ExactDecimal {
    /// How `double` compares with this value, exactly: no rounding of either side. Some of the
    /// official rules do their arithmetic in floating point (an untyped amount minus 1 is an
    /// `xs:double` in XPath) and compare the result with exact decimal sums; Sublet compares the
    /// same double the same way (`InvoiceRules`, BR-S-08).
    public func compare(double: Double) -> Comparison {
        guard double.isFinite else { return double.isNaN ? .unordered : (double > 0 ? .doubleIsGreater : .doubleIsLess) }
        if double == 0 { return units == 0 ? .equal : (units > 0 ? .doubleIsLess : .doubleIsGreater) }
        // double = ±m·2^e with m an integer; this = units / 10^scale. Compare m·5^scale·2^(e+scale) with |units|.
        let negative = double < 0
        let m = Int128(double.significandBitPattern | (double.isNormal ? 1 << 52 : 0))
        let e = Int(double.exponent) - 52 + (double.isNormal ? 0 : 1)
        guard (units < 0) == negative || units == 0 else { return negative ? .doubleIsLess : .doubleIsGreater }
        let magnitude = units.magnitude
        var left: Int128? = m
        for _ in 0..<scale {
            left = left.flatMap { value in
                let (product, overflow) = value.multipliedReportingOverflow(by: 5)
                return overflow ? nil : product
            }
        }
        let shift = e + scale
        var right: Int128? = Int128(magnitude)
        if shift >= 0 {
            left = left.flatMap { value in shift < 127 && value <= Int128.max >> shift ? value << shift : nil }
        } else {
            right = right.flatMap { value in -shift < 127 && value <= Int128.max >> -shift ? value << -shift : nil }
        }
        let order: Int
        switch (left, right) {
        case (let left?, let right?): order = left < right ? -1 : (left > right ? 1 : 0)
        case (nil, _?): order = 1  // |double| beyond 128 bits
        case (_?, nil): order = -1
        case (nil, nil): order = 0  // not reached for bounded amounts
        }
        if order == 0 { return .equal }
        return (order > 0) != negative ? .doubleIsGreater : .doubleIsLess
    }

    public enum Comparison: Sendable, Equatable {
        case doubleIsLess, equal, doubleIsGreater, unordered
    }
}
