/// A series of document numbers: how its numbers are written and the counter that carries it.
/// Contracts and head leases are numbered once for all time; notices, corrections and refunds
/// start again each issue year (docs/formats.md).
public struct NumberSeries: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `AH-000001`
        case contract
        /// `HL-000001`
        case lease
        /// `2026-000001`, per issue year
        case notice
        /// `K-2026-000001`, per year recorded
        case correction
        /// `R-2026-000001`, per issue year
        case refund
    }

    public let kind: Kind
    /// The year of a yearly series.
    public let year: Int?

    public static let contracts = NumberSeries(kind: .contract, year: nil)
    public static let leases = NumberSeries(kind: .lease, year: nil)
    public static func notices(_ year: Int) -> NumberSeries { NumberSeries(kind: .notice, year: year) }
    public static func corrections(_ year: Int) -> NumberSeries { NumberSeries(kind: .correction, year: year) }
    public static func refunds(_ year: Int) -> NumberSeries { NumberSeries(kind: .refund, year: year) }

    /// The name of the stored counter: `contract`, `lease`, `notice-2026`, `correction-2026`, `refund-2026`.
    public var counterName: String { year.map { "\(kind.rawValue)-\($0)" } ?? kind.rawValue }

    public var description: String { counterName }

    /// Everything before the six digits: `AH-`, `HL-`, `2026-`, `K-2026-`, `R-2026-`.
    public var prefix: String {
        switch kind {
        case .contract: "AH-"
        case .lease: "HL-"
        case .notice: "\(year ?? 0)-"
        case .correction: "K-\(year ?? 0)-"
        case .refund: "R-\(year ?? 0)-"
        }
    }

    /// The `value`th number of the series.
    public func number(_ value: Int) -> String { prefix + String(value).zeroPadded(to: 6) }

    /// The value of `number` when it is a number of this series (a legacy number carried over
    /// in our own form), else `nil`.
    public func value(of number: String) -> Int? {
        guard number.hasPrefix(prefix) else { return nil }
        let digits = number.dropFirst(prefix.count)
        guard digits.count >= 6, digits.isASCIIDigits else { return nil }
        return Int(digits)
    }
}

/// Where a series stands: the stored counter is the last number issued (0 before the first), the
/// one meaning every series shares. Numbers are never reused.
public struct DocumentNumbering: Sendable, Hashable {
    public let series: NumberSeries
    public private(set) var last: Int

    public init(series: NumberSeries, last: Int) {
        self.series = series
        self.last = max(last, 0)
    }

    /// Issues the next number.
    public mutating func next() -> String {
        last += 1
        return series.number(last)
    }

    /// A number carried over from elsewhere (a legacy register): when it is in this series' own
    /// form, the series moves past it, so that it is never issued again.
    public mutating func observe(_ carried: String) {
        if let value = series.value(of: carried), value > last { last = value }
    }
}

extension OCRReference {
    /// A notice's OCR reference: `1`, the notice's id in eight digits, (the length digit) and the
    /// check digit; unique because the id is (docs/rules.md §3).
    public static func forNotice(id: Int64, lengthDigit: Bool) -> String {
        make(base: "1" + String(id).zeroPadded(to: 8), lengthDigit: lengthDigit)
    }
}
