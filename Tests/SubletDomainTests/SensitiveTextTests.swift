import PropertyBased
import SubletDomain
import Testing

/// Issue #7: personal numbers in text from outside are masked before it reaches a report, a log
/// or an error.
@Suite struct SensitiveTextTests {
    @Test(arguments: [
        ("Hyresgäst Anna Andersson 19850312-1231", "Hyresgäst Anna Andersson 19850312-****"),
        ("198503121231", "19850312****"),
        ("pnr 8503121231.", "pnr 850312****."),
        ("850312-1231", "850312-****"),
        ("850312+1231 (över 100 år)", "850312+**** (över 100 år)"),
        ("19850312 1231", "19850312 ****"),
        ("samordningsnummer 19850372-1238", "samordningsnummer 19850372-****"),
        ("two: 19850312-1231, 850312-1231", "two: 19850312-****, 850312-****"),
        ("file-19850312-1231.xml", "file-19850312-****.xml"),
    ])
    func masksPersonalNumbers(text: String, masked: String) {
        #expect(SensitiveText.masked(text) == masked)
    }

    @Test(arguments: [
        "Exempelbostäder AB 556900-1232",  // an organisation number: month 69
        "OCR 10000000215",  // 11 digits
        "19850312-1232",  // wrong check digit
        "19851332-1231",  // month 13
        "1198503121231",  // part of 13 digits
        "19850312-12310",  // five digits after the separator
        "avi 2026-000123, kontrakt AH-000001",  // Sublet's own numbers
        "Telefon 010-000 00 00, belopp 8450.00",
        "17850312-1231",  // not a plausible century
        "20010229-0004",  // 2001 had no 29 February
        "",
    ])
    func leavesOtherNumbersAlone(text: String) {
        #expect(SensitiveText.masked(text) == text)
    }

    /// Masking is idempotent, keeps the length, and changes only digits (into `*`).
    @Test func maskingOnlyHidesDigits() async {
        let alphabet = Array("0123456789-+ aÅ.\n")
        let text = Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...60).map { String($0.map { alphabet[$0] }) }
        await propertyCheck(count: 3_000, input: text) { text in
            let once = SensitiveText.masked(text)
            #expect(SensitiveText.masked(once) == once)
            #expect(once.unicodeScalars.count == text.unicodeScalars.count)
            for (before, after) in zip(text.unicodeScalars, once.unicodeScalars) where before != after {
                #expect(("0"..."9").contains(before) && after == "*")
            }
        }
    }

    /// Every valid personal number of a day, in every written form, is masked.
    @Test(arguments: ["19850312", "20000229", "19991231", "20240229", "19470161"])
    func everyCheckDigitFormIsCaught(date: String) {
        for serial in stride(from: 0, to: 1000, by: 37) {
            let body = String(date.dropFirst(2)) + String(serial).zeroPadded(to: 3)
            let number = body + String(Luhn.checkDigit(for: body))
            let twelve = String(date.prefix(2)) + number
            for form in [
                twelve, String(twelve.prefix(8)) + "-" + String(twelve.suffix(4)), number, String(number.prefix(6)) + "-" + String(number.suffix(4)),
            ] {
                #expect(SensitiveText.masked("x " + form + " y").hasSuffix("**** y"), "\(form)")
            }
        }
    }
}
