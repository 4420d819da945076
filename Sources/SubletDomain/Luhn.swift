/// The modulus-10 (Luhn) check digit used by OCR references, personnummer,
/// organisationsnummer and bankgiro numbers.
public enum Luhn {
    /// The check digit for `digits` (ASCII digits): weights 2,1,2,1… from the right, digit sums
    /// of the products, check = (10 − sum mod 10) mod 10.
    public static func checkDigit(for digits: some StringProtocol) -> Int { checkDigit(forBytes: digits.utf8) }

    /// True when the last digit of `digits` is the check digit of the others.
    public static func isValid(_ digits: some StringProtocol) -> Bool { isValid(bytes: digits.utf8) }

    /// `checkDigit(for:)` of ASCII digits as bytes, read from the left: the rightmost weighs 2.
    static func checkDigit(forBytes digits: some Collection<UInt8>) -> Int {
        var sum = 0
        var weight = digits.count % 2 == 1 ? 2 : 1
        for byte in digits {
            let product = Int(byte - 48) * weight
            sum += product > 9 ? product - 9 : product
            weight = weight == 2 ? 1 : 2
        }
        return (10 - sum % 10) % 10
    }

    /// `isValid(_:)` of bytes: two or more ASCII digits, the last the check digit of the others.
    static func isValid(bytes digits: some Collection<UInt8>) -> Bool {
        guard digits.count >= 2, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        let last = digits[digits.index(digits.startIndex, offsetBy: digits.count - 1)]
        return checkDigit(forBytes: digits.dropLast()) == Int(last - 48)
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

    /// Checks digits only, 2–25 digits, the check digit and (if required) the length digit.
    public static func isValid(_ reference: String, lengthDigit: Bool) -> Bool { isValid(bytes: reference.utf8, lengthDigit: lengthDigit) }

    /// `isValid(_:lengthDigit:)` of a reference's bytes (the repairs check candidates so, before
    /// making them strings).
    static func isValid(bytes: some Collection<UInt8>, lengthDigit: Bool) -> Bool {
        guard (2...25).contains(bytes.count), Luhn.isValid(bytes: bytes) else { return false }
        guard lengthDigit else { return true }
        guard bytes.count >= 3 else { return false }
        return Int(bytes[bytes.index(bytes.startIndex, offsetBy: bytes.count - 2)] - 48) == bytes.count % 10
    }
}
