import SubletDomain
import Testing

@Suite struct OCRTests {
    @Test func rulesExample() {
        // docs/rules.md §3: base 2024010001 → 202401000122.
        #expect(OCRReference.make(base: "2024010001", lengthDigit: true) == "202401000122")
        #expect(OCRReference.isValid("202401000122", lengthDigit: true))
    }

    @Test(arguments: [("7992739871", 3), ("2024010001", 4), ("100000001", 6), ("0", 0), ("18", 2)])
    func luhnCheckDigit(body: String, check: Int) {
        #expect(Luhn.checkDigit(for: body) == check)
        #expect(Luhn.isValid(body + String(check)))
        #expect(!Luhn.isValid(body + String((check + 1) % 10)))
    }

    @Test(arguments: ["1", "12345678", "100000001", "9999999999999999999999"])
    func madeReferencesValidate(base: String) {
        for lengthDigit in [true, false] {
            let reference = OCRReference.make(base: base, lengthDigit: lengthDigit)
            #expect(reference.count == base.count + (lengthDigit ? 2 : 1))
            #expect(OCRReference.isValid(reference, lengthDigit: lengthDigit))
        }
    }

    @Test(arguments: ["202401000132", "20240100012", "2024010001X2", "1", "", "12345678901234567890123456"])
    func rejectsBadReferences(reference: String) {
        #expect(!OCRReference.isValid(reference, lengthDigit: true))
    }

    @Test func lengthDigitIsTheLastDigitOfTheLength() {
        // 10–19 digits: the length digit is length mod 10, not the first digit of the length.
        let reference = OCRReference.make(base: "12345678901234", lengthDigit: true)
        #expect(reference.count == 16)
        #expect(Array(reference)[14] == "6")
    }
}

@Suite struct PersonalNumberTests {
    let today = CalendarDate(year: 2026, month: 11, day: 26)!

    @Test(arguments: [
        ("19850312-1231", "198503121231", PersonalNumber.Kind.personnummer),
        ("198503121231", "198503121231", .personnummer),
        ("850312-1231", "198503121231", .personnummer),
        ("8503121231", "198503121231", .personnummer),
        ("19850372-1238", "198503721238", .samordningsnummer),
        ("850372-1238", "198503721238", .samordningsnummer),
        ("121212-1212", "201212121212", .personnummer),
        ("121212+1212", "191212121212", .personnummer),
        ("19121212-1212", "191212121212", .personnummer),
        (" 19850312-1231 ", "198503121231", .personnummer),
    ])
    func parsesValidNumbers(text: String, digits: String, kind: PersonalNumber.Kind) throws {
        let number = try PersonalNumber(parsing: text, referenceDate: today)
        #expect(number.digits == digits)
        #expect(number.kind == kind)
        #expect(number.formatted == String(digits.prefix(8)) + "-" + String(digits.suffix(4)))
        #expect(number.masked == String(digits.prefix(8)) + "-****")
        #expect(number.description == number.masked)
    }

    @Test(arguments: [
        ("19850312-1232", PersonalNumber.ParseError.checkDigit("19850312-1232")),
        ("19850230-1234", .date("19850230-1234")),
        ("19851312-1234", .date("19851312-1234")),
        ("19850392-1234", .date("19850392-1234")),
        ("20300101-1234", .date("20300101-1234")),
        ("1985-03-12-1231", .format("1985-03-12-1231")),
        ("19850312+1231", .format("19850312+1231")),
        ("850312*1231", .format("850312*1231")),
        ("85031212", .format("85031212")),
        ("", .format("")),
        ("ABCDEF-1234", .format("ABCDEF-1234")),
    ])
    func rejectsInvalidNumbers(text: String, error: PersonalNumber.ParseError) {
        #expect(throws: error) { try PersonalNumber(parsing: text, referenceDate: today) }
    }

    @Test(arguments: ["19850312-1232", "850312-9999", "19850230-1234"])
    func errorMessagesNeverShowTheLastFourDigits(text: String) {
        do {
            _ = try PersonalNumber(parsing: text, referenceDate: today)
            Issue.record("expected \(text) to be rejected")
        } catch {
            #expect(!error.description.contains(String(text.suffix(4))))
        }
    }
}

@Suite struct OrganisationAndBankgiroTests {
    @Test(arguments: [("212000-0142", "2120000142"), ("2120000142", "2120000142"), ("165560360793", "5560360793"), ("202100-5406", "2021005406")])
    func parsesOrganisationNumbers(text: String, digits: String) throws {
        #expect(try OrganisationNumber(parsing: text).digits == digits)
    }

    @Test(arguments: ["212000-0143", "101000-0147", "21200001", "abcdefghij", ""])
    func rejectsOrganisationNumbers(text: String) {
        #expect(throws: OrganisationNumber.ParseError.self) { try OrganisationNumber(parsing: text) }
    }

    @Test(arguments: [("5050-1055", "5050-1055"), ("50501055", "5050-1055"), ("123-4566", "123-4566"), ("902-0017", "902-0017")])
    func parsesBankgiroNumbers(text: String, formatted: String) throws {
        #expect(try BankgiroNumber(parsing: text).description == formatted)
    }

    @Test(arguments: ["5050-1056", "123456", "123456789", "5050-10X5", ""])
    func rejectsBankgiroNumbers(text: String) {
        #expect(throws: BankgiroNumber.ParseError.self) { try BankgiroNumber(parsing: text) }
    }
}
