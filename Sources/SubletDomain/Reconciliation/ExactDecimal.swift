/// An exact decimal number as XML Schema's `xs:decimal` writes it (`-1408.35`, `16`, `260.125`),
/// for re-checking invoice arithmetic the way the EN 16931 Schematron does: no floating point.
///
/// Arithmetic is checked: a result beyond 128 bits throws `ExactDecimal.Overflow`, never traps.
/// Invoice numbers are bounded at ingest (`invoiceLimit`), so only many decimals multiplied by
/// many decimals can get there.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A result too large for 128 bits.
    public struct Overflow: Error, Sendable, Equatable {}

    /// The largest magnitude an amount, price or quantity in a landlord's invoice may have:
    /// 10^11 (a hundred billion kronor; issue #7).
    public static let invoiceLimit = ExactDecimal(units: 100_000_000_000, scale: 0)

    /// The value is `units / 10^scale`.
    public let units: Int128
    public let scale: Int

    public static let zero = ExactDecimal(units: 0, scale: 0)
    public static let maximumScale = 18

    public init(units: Int128, scale: Int) {
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(units: Int128(integer), scale: 0)
    }

    public init(_ money: Money) {
        self.init(units: Int128(money.ore), scale: 2)
    }

    /// Parses `xs:decimal` text (surrounding white space allowed); `nil` for anything else or
    /// more than 18 decimals or 20 integer digits (so that the digits always fit 128 bits).
    public init?(_ text: some StringProtocol) {
        let value = text.trimmingASCIIWhitespace()
        var bytes = Array(value.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var units: Int128 = 0
        var scale = 0
        var integerDigits = 0
        var seenPoint = false
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            digits += 1
            if seenPoint { scale += 1 } else { integerDigits += 1 }
            guard scale <= Self.maximumScale, integerDigits <= 20 else { return nil }
            units = units * 10 + Int128(byte - 48)  // at most 38 digits: fits 128 bits
        }
        guard digits > 0 else { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    /// Decimals written, without trailing zeros (`1.50` has 1, `8450.00` has 0).
    public var significantDecimals: Int {
        var value = units.magnitude
        var decimals = scale
        while decimals > 0, value % 10 == 0 {
            value /= 10
            decimals -= 1
        }
        return decimals
    }

    func rescaled(to newScale: Int) throws(Overflow) -> Int128 {
        var value = units
        for _ in scale..<newScale {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw Overflow() }
            value = product
        }
        return value
    }

    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) throws(Overflow) -> ExactDecimal {
        let scale = max(lhs.scale, rhs.scale)
        let (sum, overflow) = try lhs.rescaled(to: scale).addingReportingOverflow(rhs.rescaled(to: scale))
        guard !overflow else { throw Overflow() }
        return ExactDecimal(units: sum, scale: scale)
    }

    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) throws(Overflow) -> ExactDecimal {
        let scale = max(lhs.scale, rhs.scale)
        let (difference, overflow) = try lhs.rescaled(to: scale).subtractingReportingOverflow(rhs.rescaled(to: scale))
        guard !overflow else { throw Overflow() }
        return ExactDecimal(units: difference, scale: scale)
    }

    public static prefix func - (value: ExactDecimal) throws(Overflow) -> ExactDecimal { try zero - value }

    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) throws(Overflow) -> ExactDecimal {
        let (product, overflow) = lhs.units.multipliedReportingOverflow(by: rhs.units)
        guard !overflow, lhs.scale + rhs.scale <= 38 else { throw Overflow() }
        return ExactDecimal(units: product, scale: lhs.scale + rhs.scale)
    }

    /// `self / 10^places`, exactly (or `Overflow` past 38 decimals).
    public func shifted(right places: Int) throws(Overflow) -> ExactDecimal {
        guard scale + places <= 38 else { throw Overflow() }
        return ExactDecimal(units: units, scale: scale + places)
    }

    /// The value without its sign (the digits parsed never reach `Int128.min`, whose sign cannot go).
    public var magnitude: ExactDecimal { ExactDecimal(units: units == .min ? .max : units < 0 ? -units : units, scale: scale) }

    public var isNegative: Bool { units < 0 }

    /// XPath's `round(x * 100) div 100`: to two decimals, halves towards positive infinity
    /// (`round(-2.5) = -2`).
    public var roundedToCents: ExactDecimal { get throws(Overflow) { try rounded(places: 2) } }

    /// XPath's `round(x)`: to an integer, halves towards positive infinity.
    public var roundedToInteger: ExactDecimal { get throws(Overflow) { try rounded(places: 0) } }

    func rounded(places: Int) throws(Overflow) -> ExactDecimal {
        guard scale > places else { return ExactDecimal(units: try rescaled(to: places), scale: places) }
        guard let divisor = Self.powerOfTen(scale - places) else { return ExactDecimal(units: 0, scale: places) }
        // floor(x + 1/2) in units of 10^-places, as floor((2x + 1) / 2) to stay in integers.
        let (twice, overflowTwice) = units.multipliedReportingOverflow(by: 2)
        let (doubled, overflowSum) = twice.addingReportingOverflow(divisor)
        let (denominator, overflowDenominator) = divisor.multipliedReportingOverflow(by: 2)
        guard !overflowTwice, !overflowSum, !overflowDenominator else { throw Overflow() }
        var quotient = doubled / denominator
        if doubled % denominator != 0, doubled < 0 { quotient -= 1 }
        return ExactDecimal(units: quotient, scale: places)
    }

    /// The amount in öre, when it has at most two decimals and fits Sublet's money.
    public var exactMoney: Money? {
        guard significantDecimals <= 2, let cents = try? rounded(places: 2).units, let ore = Int(exactly: cents) else { return nil }
        return Money(ore: ore)
    }

    /// The amount rounded to öre (half away from zero), for amounts with more decimals; `nil`
    /// beyond what Sublet's money holds.
    public var roundedMoney: Money? {
        guard scale > 2 else { return (try? rescaled(to: 2)).flatMap { Int(exactly: $0) }.map(Money.init(ore:)) }
        guard let divisor = Self.powerOfTen(scale - 2) else { return Money.zero }
        let quotient = units / divisor
        let remainder = units % divisor
        let adjust: Int128 = 2 * remainder.magnitude >= divisor.magnitude ? (units < 0 ? -1 : 1) : 0
        return Int(exactly: quotient + adjust).map(Money.init(ore:))
    }

    /// 10^exponent, or `nil` past what 128 bits hold (10^38).
    static func powerOfTen(_ exponent: Int) -> Int128? {
        guard (0...38).contains(exponent) else { return nil }
        var value: Int128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The whole part (towards zero) and the rest in units of 10^-`scale`, for comparing values
    /// of different scales without rescaling (which could overflow).
    private func split(toScale common: Int) -> (whole: Int128, rest: Int128) {
        guard let unit = Self.powerOfTen(scale) else { return (0, units) }
        let rest = units % unit
        // rest < 10^scale ≤ 10^common ≤ 10^38: rescaling it cannot overflow.
        return (units / unit, rest * (Self.powerOfTen(common - scale) ?? 1))
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let common = max(lhs.scale, rhs.scale)
        return lhs.split(toScale: common) == rhs.split(toScale: common)
    }

    public func hash(into hasher: inout Hasher) {
        // Equal values hash alike: without trailing zeros.
        var value = units
        var decimals = scale
        while decimals > 0, value % 10 == 0 {
            value /= 10
            decimals -= 1
        }
        hasher.combine(value)
        hasher.combine(decimals)
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let common = max(lhs.scale, rhs.scale)
        let (left, right) = (lhs.split(toScale: common), rhs.split(toScale: common))
        return left.whole != right.whole ? left.whole < right.whole : left.rest < right.rest
    }

    public var description: String {
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (units < 0 ? "-" : "") + digits
    }
}
