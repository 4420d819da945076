/// The modulus-10 (Luhn) check digit used by OCR references, personnummer,
/// organisationsnummer and bankgiro numbers.
public enum Luhn {
    /// The check digit for `digits` (ASCII digits): weights 2,1,2,1… from the right, digit sums
    /// of the products, check = (10 − sum mod 10) mod 10.
    public static func checkDigit(for digits: some StringProtocol) -> Int {
        var sum = 0
        var weight = 2
        for byte in digits.utf8.reversed() {
            let product = Int(byte - 48) * weight
            sum += product > 9 ? product - 9 : product
            weight = weight == 2 ? 1 : 2
        }
        return (10 - sum % 10) % 10
    }

    /// True when the last digit of `digits` is the check digit of the others.
    public static func isValid(_ digits: some StringProtocol) -> Bool {
        guard digits.count >= 2, digits.isASCIIDigits else { return false }
        let body = digits.dropLast()
        return checkDigit(for: body) == Int(Array(digits.utf8).last! - 48)
    }
}

/// Bankgirot OCR payment references (docs/rules.md §3).
public enum OCRReference {
    /// The reference for `base` (ASCII digits): with `lengthDigit`, the total length mod 10 is
    /// appended before the check digit ("OCR 3", hard control with variable length).
    public static func make(base: String, lengthDigit: Bool) -> String {
        precondition(base.isASCIIDigits, "an OCR base is digits only")
        var body = base
        if lengthDigit { body += String((base.count + 2) % 10) }
        let reference = body + String(Luhn.checkDigit(for: body))
        precondition((2...25).contains(reference.count), "an OCR reference has 2–25 digits")
        return reference
    }

    /// `isValid(_:lengthDigit:)` for a reference's ASCII bytes.
    static func isValid(bytes: [UInt8], lengthDigit: Bool) -> Bool {
        guard (2...25).contains(bytes.count), bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        if lengthDigit, bytes.count < 3 || Int(bytes[bytes.count - 2] - 48) != bytes.count % 10 { return false }
        var sum = 0
        var weight = 1
        for byte in bytes.reversed() {
            let product = Int(byte - 48) * weight
            sum += product > 9 ? product - 9 : product
            weight = weight == 2 ? 1 : 2
        }
        return sum % 10 == 0
    }

    /// Checks digits only, 2–25 digits, the check digit and (if required) the length digit.
    public static func isValid(_ reference: String, lengthDigit: Bool) -> Bool {
        guard (2...25).contains(reference.count), Luhn.isValid(reference) else { return false }
        guard lengthDigit else { return true }
        guard reference.count >= 3 else { return false }
        let digits = Array(reference.utf8)
        return Int(digits[digits.count - 2] - 48) == reference.count % 10
    }
}
