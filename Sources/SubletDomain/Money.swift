/// An exact amount of Swedish money in whole öre (1 krona = 100 öre).
///
/// Money never passes through floating point: it is parsed from text, added, prorated with
/// integer arithmetic and printed back. Every sum, difference and scaling is checked: an amount
/// that no longer fits 64 bits is a `MoneyOverflow`, never a trap, so one bad value can fail one
/// operation with a message but never take a process down.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in öre; negative for credits.
    public var ore: Int

    public init(ore: Int) { self.ore = ore }

    /// An amount written in the code (a default fee, a test's rent). Not for input: parse text
    /// with `parse(_:allowNegative:limit:)`, which bounds it.
    public init(kronor: Int, ore: Int = 0) { self.ore = kronor * 100 + ore }

    public static let zero = Money(ore: 0)

    /// The most a monthly amount may be: a contract's rent, each of its charges, a head lease's
    /// rent, a configured fee (issue #7; docs/operations.md, "Bounds").
    public static let monthlyLimit = Money(kronor: 1_000_000)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.ore < rhs.ore }

    public static func + (lhs: Money, rhs: Money) throws(MoneyOverflow) -> Money {
        let (sum, overflow) = lhs.ore.addingReportingOverflow(rhs.ore)
        guard !overflow else { throw MoneyOverflow() }
        return Money(ore: sum)
    }

    public static func - (lhs: Money, rhs: Money) throws(MoneyOverflow) -> Money {
        let (difference, overflow) = lhs.ore.subtractingReportingOverflow(rhs.ore)
        guard !overflow else { throw MoneyOverflow() }
        return Money(ore: difference)
    }

    public static prefix func - (value: Money) throws(MoneyOverflow) -> Money { try .zero - value }

    public static func += (lhs: inout Money, rhs: Money) throws(MoneyOverflow) { lhs = try lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) throws(MoneyOverflow) { lhs = try lhs - rhs }

    public var isNegative: Bool { ore < 0 }

    /// The amount without its sign (`Int.min` öre has none that fits, and is out of range).
    public var magnitude: UInt { ore.magnitude }

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

/// A sum or product of amounts beyond what 64 bits of öre hold (±92 233 720 368 547 758,07 kr).
/// Input is bounded far below this (docs/operations.md): it is reached only by stored values that
/// predate the bounds, and then fails the one operation with a message instead of a trap.
public struct MoneyOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "the amounts add up to more than Sublet can hold (±92 233 720 368 547 758,07 kr)" }
}

/// Why a text is not an amount of money.
public enum MoneyParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notANumber(String)
    case tooManyDecimals(String)
    case negativeNotAllowed(String)
    /// More than the limit (`Money.monthlyLimit` unless the caller says otherwise).
    case tooLarge(String, limit: Money)

    public var description: String {
        switch self {
        case .empty: "an amount is required"
        case .notANumber(let text): "\(Quote.excerpt(text)) is not an amount (write e.g. 7850, 7850.00 or 7 850,50)"
        case .tooManyDecimals(let text): "\(Quote.excerpt(text)) has more than two decimals (amounts are in whole öre)"
        case .negativeNotAllowed(let text): "\(Quote.excerpt(text)) is negative; a negative amount is not allowed here"
        case .tooLarge(let text, let limit):
            "\(Quote.excerpt(text)) is more than \(limit.swedish.replacing("\u{00A0}", with: " ")) kr, the most allowed here"
        }
    }
}

extension Money {
    /// Parses `7850`, `7850.00`, `7850,00`, `7 850,50` (spaces, no-break spaces or thin spaces
    /// group thousands). Rejects more than two decimals, empty text, anything non-numeric, an
    /// amount beyond `limit` (a monthly amount's bound by default), and a minus sign unless
    /// `allowNegative`.
    public static func parse(_ text: String, allowNegative: Bool = false, limit: Money = .monthlyLimit) throws(MoneyParseError) -> Money {
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
                if inFraction {
                    fractionDigits.append(digit)
                } else {
                    integerDigits.append(digit)
                    groups[groups.count - 1] += 1
                }
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
        // More than 15 significant integer digits is beyond any limit; checked before the sum can overflow.
        guard integerDigits.drop(while: { $0 == 0 }).count <= 15 else { throw .tooLarge(text, limit: limit) }
        var ore = 0
        for digit in integerDigits { ore = ore * 10 + Int(digit) }
        ore *= 100
        if fractionDigits.count >= 1 { ore += Int(fractionDigits[0]) * 10 }
        if fractionDigits.count == 2 { ore += Int(fractionDigits[1]) }
        guard ore <= limit.ore else { throw .tooLarge(text, limit: limit) }
        if negative {
            guard allowNegative || ore == 0 else { throw .negativeNotAllowed(text) }
            ore = -ore
        }
        return Money(ore: ore)
    }
}

extension Sequence where Element == Money {
    /// The exact sum, or `MoneyOverflow`.
    public func sum() throws(MoneyOverflow) -> Money {
        var total = Money.zero
        for amount in self { total = try total + amount }
        return total
    }
}

extension Money {
    /// `self × numerator ÷ denominator`, rounded half away from zero to whole öre. The product
    /// is exact (128 bits); a result beyond 64 bits is a `MoneyOverflow`.
    public func scaled(by numerator: Int, over denominator: Int) throws(MoneyOverflow) -> Money {
        precondition(denominator > 0, "denominator must be positive")
        let dividend = Int128(ore) * Int128(numerator)
        let divisor = Int128(denominator)
        var quotient = dividend / divisor
        let remainder = dividend % divisor
        if 2 * remainder.magnitude >= divisor.magnitude { quotient += dividend < 0 ? -1 : 1 }
        guard let ore = Int(exactly: quotient) else { throw MoneyOverflow() }
        return Money(ore: ore)
    }
}

extension Money {
    /// `self × part ÷ whole` for `0 ≤ part ≤ whole` (days of a month, VAT's share), rounded half
    /// away from zero. Never larger than `self`, so it cannot overflow.
    public func portion(_ part: Int, of whole: Int) -> Money {
        precondition(whole > 0 && (0...whole).contains(part), "a portion is 0…whole of whole")
        let dividend = Int128(ore) * Int128(part)
        let divisor = Int128(whole)
        var quotient = dividend / divisor
        if 2 * (dividend % divisor).magnitude >= divisor.magnitude { quotient += dividend < 0 ? -1 : 1 }
        return Money(ore: Int(quotient))
    }
}
