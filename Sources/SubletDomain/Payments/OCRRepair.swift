/// The references a mistyped OCR number may have been meant as (issue #9 §3, tier 2): one wrong
/// digit, two neighbours swapped, a length digit missing or added. Only candidates that pass the
/// OCR check are returned; which of them name a notice is for the caller to ask.
public enum OCRRepair {
    public struct Candidate: Sendable, Equatable {
        public var reference: String
        public var reason: String
    }

    public static func candidates(of reference: String, lengthDigit: Bool) -> [Candidate] {
        let digits = Array(reference.utf8)
        guard (2...25).contains(digits.count), reference.isASCIIDigits else { return [] }
        var result: [Candidate] = []
        var seen: Set<[UInt8]> = [digits]
        // Checked as bytes: only a candidate that passes the OCR check becomes a string with its
        // reason (a 12-digit reference has about 120 candidates, a tenth of which pass).
        func add(_ bytes: [UInt8], _ reason: @autoclosure () -> String) {
            guard OCRReference.isValid(bytes: bytes, lengthDigit: lengthDigit), seen.insert(bytes).inserted else { return }
            result.append(Candidate(reference: String(decoding: bytes, as: UTF8.self), reason: reason()))
        }
        for index in digits.indices {
            for digit in UInt8(ascii: "0")...UInt8(ascii: "9") where digit != digits[index] {
                var changed = digits
                changed[index] = digit
                add(changed, "one digit differs from reference \(reference) (position \(index + 1))")
            }
        }
        for index in digits.indices.dropLast() where digits[index] != digits[index + 1] {
            var swapped = digits
            swapped.swapAt(index, index + 1)
            add(swapped, "two neighbouring digits of reference \(reference) swapped (positions \(index + 1)–\(index + 2))")
        }
        // A length digit left out or added: the body before the check digit, re-checked.
        let body = String(decoding: digits.dropLast(), as: UTF8.self)
        // (Only while the repaired reference stays within 25 digits: a 25-digit reference made
        // a 26-digit one here and stopped the import on `make`'s precondition.)
        if lengthDigit, !body.isEmpty, body.count + 2 <= 25 {
            add(Array(OCRReference.make(base: body, lengthDigit: true).utf8), "reference \(reference) lacks the length digit")
        }
        if !lengthDigit, digits.count >= 3 {
            let base = String(decoding: digits.dropLast(2), as: UTF8.self)
            add(Array(OCRReference.make(base: base, lengthDigit: false).utf8), "reference \(reference) has a length digit too many")
        }
        return result
    }

    /// The runs of 2–25 digits in a text (spaces inside a run end it).
    public static func digitRuns(in text: String) -> [String] {
        var runs: [String] = []
        var current = ""
        for character in text {
            if character.isASCII, character.isNumber {
                current.append(character)
            } else {
                if (2...25).contains(current.count) { runs.append(current) }
                current = ""
            }
        }
        if (2...25).contains(current.count) { runs.append(current) }
        return runs
    }
}
