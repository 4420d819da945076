/// An exact decimal number as XML Schema's `xs:decimal` writes it (`-1408.35`, `16`, `260.125`),
/// for re-checking invoice arithmetic the way the EN 16931 Schematron does: no floating point.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
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
    /// more than 18 decimals or 24 integer digits.
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
            guard scale <= Self.maximumScale, integerDigits <= 24 else { return nil }
            units = units * 10 + Int128(byte - 48)
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

    func rescaled(to newScale: Int) -> Int128 {
        var value = units
        for _ in scale..<newScale { value *= 10 }
        return value
    }

    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let scale = max(lhs.scale, rhs.scale)
        return ExactDecimal(units: lhs.rescaled(to: scale) + rhs.rescaled(to: scale), scale: scale)
    }

    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let scale = max(lhs.scale, rhs.scale)
        return ExactDecimal(units: lhs.rescaled(to: scale) - rhs.rescaled(to: scale), scale: scale)
    }

    public static prefix func - (value: ExactDecimal) -> ExactDecimal { ExactDecimal(units: -value.units, scale: value.scale) }

    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        ExactDecimal(units: lhs.units * rhs.units, scale: lhs.scale + rhs.scale)
    }

    /// `self / 10^places`, exactly.
    public func shifted(right places: Int) -> ExactDecimal { ExactDecimal(units: units, scale: scale + places) }

    public var magnitude: ExactDecimal { ExactDecimal(units: units < 0 ? -units : units, scale: scale) }

    public var isNegative: Bool { units < 0 }

    /// XPath's `round(x * 100) div 100`: to two decimals, halves towards positive infinity
    /// (`round(-2.5) = -2`).
    public var roundedToCents: ExactDecimal { rounded(places: 2) }

    /// XPath's `round(x)`: to an integer, halves towards positive infinity.
    public var roundedToInteger: ExactDecimal { rounded(places: 0) }

    func rounded(places: Int) -> ExactDecimal {
        guard scale > places else { return ExactDecimal(units: rescaled(to: places), scale: places) }
        var divisor: Int128 = 1
        for _ in places..<scale { divisor *= 10 }
        // floor(x + 1/2) in units of 10^-places.
        let doubled = units * 2 + divisor
        let denominator = divisor * 2
        var quotient = doubled / denominator
        if doubled % denominator != 0, doubled < 0 { quotient -= 1 }
        return ExactDecimal(units: quotient, scale: places)
    }

    /// The amount in öre, when it has at most two decimals.
    public var exactMoney: Money? {
        guard significantDecimals <= 2 else { return nil }
        let cents = rounded(places: 2).units
        guard cents >= Int128(Int.min), cents <= Int128(Int.max) else { return nil }
        return Money(ore: Int(cents))
    }

    /// The amount rounded to öre (half away from zero), for amounts with more decimals.
    public var money: Money {
        guard scale > 2 else { return Money(ore: Int(rescaled(to: 2))) }
        var divisor: Int128 = 1
        for _ in 2..<scale { divisor *= 10 }
        let quotient = units / divisor
        let remainder = units % divisor
        let adjust: Int128 = 2 * (remainder < 0 ? -remainder : remainder) >= divisor ? (units < 0 ? -1 : 1) : 0
        return Money(ore: Int(quotient + adjust))
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale) == rhs.rescaled(to: scale)
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
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale) < rhs.rescaled(to: scale)
    }

    public var description: String {
        let magnitude = units < 0 ? -units : units
        var digits = String(magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (units < 0 ? "-" : "") + digits
    }
}
