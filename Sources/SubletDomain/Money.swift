/// An exact amount of Swedish money in whole öre (1 krona = 100 öre).
///
/// Money never passes through floating point: it is parsed from text, added, prorated with
/// integer arithmetic and printed back.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in öre; negative for credits.
    public var ore: Int

    public init(ore: Int) { self.ore = ore }

    public init(kronor: Int, ore: Int = 0) { self.ore = kronor * 100 + ore }

    public static let zero = Money(ore: 0)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.ore < rhs.ore }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(ore: lhs.ore + rhs.ore) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(ore: lhs.ore - rhs.ore) }
    public static prefix func - (value: Money) -> Money { Money(ore: -value.ore) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.ore += rhs.ore }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.ore -= rhs.ore }

    public var isNegative: Bool { ore < 0 }

    /// `7850.00`, `-12.50`: the form used in JSON and in CSV files we write.
    public var plain: String { format(decimalSeparator: ".", groupSeparator: nil) }

    /// `7850,00`: the Swedish spreadsheet form (no grouping, decimal comma).
    public var plainSwedish: String { format(decimalSeparator: ",", groupSeparator: nil) }

    /// `7 850,00`: the Swedish form for people, grouped with a no-break space.
    public var swedish: String { format(decimalSeparator: ",", groupSeparator: "\u{00A0}") }

    public var description: String { plain }

    private func format(decimalSeparator: String, groupSeparator: String?) -> String {
        let magnitude = ore.magnitude
        let kronor = String(magnitude / 100)
        let fraction = magnitude % 100
        var integer = kronor
        if let groupSeparator, kronor.count > 3 {
            var groups: [Substring] = []
            var end = kronor.endIndex
            while end > kronor.startIndex {
                let start = kronor.index(end, offsetBy: -3, limitedBy: kronor.startIndex) ?? kronor.startIndex
                groups.insert(kronor[start..<end], at: 0)
                end = start
            }
            integer = groups.joined(separator: groupSeparator)
        }
        let sign = ore < 0 ? "-" : ""
        return sign + integer + decimalSeparator + (fraction < 10 ? "0" : "") + String(fraction)
    }
}

/// Why a text is not an amount of money.
public enum MoneyParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notANumber(String)
    case tooManyDecimals(String)
    case negativeNotAllowed(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .empty: "an amount is required"
        case let .notANumber(text): "'\(text)' is not an amount (write e.g. 7850, 7850.00 or 7 850,50)"
        case let .tooManyDecimals(text): "'\(text)' has more than two decimals (amounts are in whole öre)"
        case let .negativeNotAllowed(text): "'\(text)' is negative; a negative amount is not allowed here"
        case let .tooLarge(text): "'\(text)' is too large"
        }
    }
}

extension Money {
    /// Parses `7850`, `7850.00`, `7850,00`, `7 850,50` (spaces, no-break spaces or thin spaces
    /// group thousands). Rejects more than two decimals, empty text, anything non-numeric,
    /// and a minus sign unless `allowNegative`.
    public static func parse(_ text: String, allowNegative: Bool = false) throws(MoneyParseError) -> Money {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        var scalars = Array(trimmed.unicodeScalars)
        var negative = false
        if let first = scalars.first, first == "-" || first == "\u{2212}" {
            negative = true
            scalars.removeFirst()
        } else if scalars.first == "+" {
            scalars.removeFirst()
        }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var groups: [Int] = [0]
        var inFraction = false
        for scalar in scalars {
            switch scalar {
            case "0"..."9":
                let digit = UInt8(scalar.value - 48)
                if inFraction { fractionDigits.append(digit) } else { integerDigits.append(digit); groups[groups.count - 1] += 1 }
            case ".", ",":
                guard !inFraction, !integerDigits.isEmpty else { throw .notANumber(text) }
                inFraction = true
            case " ", "\u{00A0}", "\u{202F}", "\u{2009}":
                guard !inFraction, groups[groups.count - 1] > 0 else { throw .notANumber(text) }
                groups.append(0)
            default:
                throw .notANumber(text)
            }
        }
        guard !integerDigits.isEmpty else { throw .notANumber(text) }
        if inFraction && fractionDigits.isEmpty { throw .notANumber(text) }
        // Thousands groups: the first 1–3 digits, each later group exactly 3.
        if groups.count > 1 {
            guard (1...3).contains(groups[0]), groups.dropFirst().allSatisfy({ $0 == 3 }) else { throw .notANumber(text) }
        }
        guard fractionDigits.count <= 2 else { throw .tooManyDecimals(text) }
        guard integerDigits.drop(while: { $0 == 0 }).count <= 13 else { throw .tooLarge(text) }
        var ore = 0
        for digit in integerDigits { ore = ore * 10 + Int(digit) }
        ore *= 100
        if fractionDigits.count >= 1 { ore += Int(fractionDigits[0]) * 10 }
        if fractionDigits.count == 2 { ore += Int(fractionDigits[1]) }
        if negative {
            guard allowNegative || ore == 0 else { throw .negativeNotAllowed(text) }
            ore = -ore
        }
        return Money(ore: ore)
    }
}

extension Sequence where Element == Money {
    /// The exact sum.
    public func sum() -> Money { reduce(.zero, +) }
}

extension Money {
    /// `self × numerator ÷ denominator`, rounded half away from zero to whole öre.
    public func scaled(by numerator: Int, over denominator: Int) -> Money {
        precondition(denominator > 0, "denominator must be positive")
        return Money(ore: Self.divideRoundingHalfAwayFromZero(ore * numerator, by: denominator))
    }

    static func divideRoundingHalfAwayFromZero(_ dividend: Int, by divisor: Int) -> Int {
        let quotient = dividend / divisor
        let remainder = dividend % divisor
        guard 2 * remainder.magnitude >= divisor.magnitude else { return quotient }
        return quotient + (dividend < 0 ? -1 : 1)
    }
}
