import PropertyBased
import SubletDomain
import Testing

/// A register in memory for the matcher.
struct RegisterStub: PaymentLookup {
    var notices: [NoticeAccount]
    var tenants: [TenantAccount] = []

    func notice(ocr: String) -> NoticeAccount? { notices.first { $0.ocr == ocr } }
    func notice(number: String) -> NoticeAccount? { notices.first { $0.number == number } }
    func tenants(named name: String) -> [TenantAccount] { tenants.filter { PaymentMatcher.normalisedName($0.name) == name } }
    func tenants(identity: String) -> [TenantAccount] { tenants.filter { $0.personalNumber == identity } }
    func openNotices(contractID: Int64) -> [NoticeAccount] {
        notices.filter { $0.contractID == contractID && $0.balance.ore > 0 }.sorted { $0.dueDate < $1.dueDate }
    }
}

func account(_ id: Int64, contract: Int64 = 1, balance: Money = Money(kronor: 7850), due: String = "2026-11-30") -> NoticeAccount {
    NoticeAccount(
        noticeID: id, number: "2026-" + String(id).zeroPadded(to: 6), ocr: OCRReference.make(base: String(100 + id), lengthDigit: true),
        contractID: contract, contract: "AH-" + String(contract).zeroPadded(to: 6), district: "RK", dueDate: CalendarDate(due)!,
        balance: balance)
}

func camtPayment(
    _ references: [String], amount: Money = Money(kronor: 7850), text: String? = nil, name: String? = nil, id: String? = nil
)
    -> IncomingPayment
{
    IncomingPayment(
        format: .camt054, bankKey: "k", amount: amount, currency: "SEK", paymentDate: CalendarDate("2026-11-27")!, references: references,
        text: text, payerName: name, payerID: id)
}

@Suite struct PaymentMatchingTests {
    let matcher = PaymentMatcher(lengthDigit: true)
    let register = RegisterStub(
        notices: [account(1), account(2, contract: 2), account(25, contract: 3)],
        tenants: [
            TenantAccount(contractID: 2, contract: "AH-000002", district: "RK", name: "Anna Bergström", personalNumber: "198503121231"),
            TenantAccount(contractID: 3, contract: "AH-000003", district: "SK", name: "Omar Ali", personalNumber: "199001011239"),
        ])

    @Test func aValidOCRIsAppliedWhateverTheAmount() {
        for amount in [Money(kronor: 1), Money(kronor: 7850), Money(kronor: 20_000)] {
            let match = matcher.match(camtPayment([account(1).ocr], amount: amount), in: register)
            #expect(match.tier == .ocr)
            #expect(match.notice?.noticeID == 1)
        }
    }

    @Test func aBgMaxReferenceCountsOnlyWhenTheBankVerifiedIt() {
        var payment = camtPayment([account(1).ocr])
        payment.format = .bgmax
        #expect(matcher.match(payment, in: register).tier == .repaired)
        payment.referenceVerified = true
        #expect(matcher.match(payment, in: register).tier == .ocr)
    }

    enum Mistake: String, CaseIterable {
        case oneWrongDigit, twoSwappedNeighbours, missingLengthDigit

        func apply(to ocr: String) -> String {
            let digits = Array(ocr)
            switch self {
            case .oneWrongDigit: return String(digits[0]) + (digits[1] == "9" ? "0" : "9") + String(digits[2...])
            case .twoSwappedNeighbours: return String([digits[1], digits[0]] + digits[2...])
            case .missingLengthDigit: return String(digits.dropLast(2)) + String(digits.suffix(1))
            }
        }
    }

    /// The repairs of tier 2: each makes the reference name exactly one notice, as a suggestion.
    @Test(arguments: Mistake.allCases)
    func aRepairedReferenceIsASuggestion(mistake: Mistake) {
        let typed = mistake.apply(to: account(25).ocr)
        let match = matcher.match(camtPayment([typed]), in: register)
        #expect(match.tier == .repaired, "\(mistake): \(typed)")
        #expect(match.suggestions.first?.noticeID == 25, "\(mistake): \(typed)")
        #expect(!match.isAutomatic)
    }

    @Test func aNoticeNumberInsteadOfTheOCRIsASuggestion() {
        let match = matcher.match(camtPayment(["2026-000002"]), in: register)
        #expect(match.tier == .repaired)
        #expect(match.suggestions.map(\.noticeID) == [2])
        #expect(match.suggestions.first?.reason.contains("notice number 2026-000002") == true)
    }

    @Test func anOCRInTheFreeTextIsASuggestion() {
        let match = matcher.match(camtPayment([], text: "Hyra nov OCR \(account(2).ocr) tack"), in: register)
        #expect(match.tier == .repaired)
        #expect(match.suggestions.map(\.noticeID) == [2])
    }

    @Test func severalReferencesAreNeverAppliedAutomatically() {
        let match = matcher.match(camtPayment([account(1).ocr, account(2).ocr]), in: register)
        #expect(match.tier == .repaired)
        #expect(Set(match.suggestions.compactMap(\.noticeID)) == [1, 2])
    }

    @Test func thePayersIdentityOrNameRanksTheTenants() {
        let byID = matcher.match(camtPayment([], name: "Okänd", id: "8503121231"), in: register)
        #expect(byID.tier == .payer)
        #expect(byID.suggestions.first?.contractID == 2)
        #expect(byID.suggestions.first?.score == 90, "the identity and the amount fit")
        let byName = matcher.match(camtPayment([], amount: Money(kronor: 100), name: "ALI, OMAR"), in: register)
        #expect(byName.tier == .payer)
        #expect(byName.suggestions.map(\.contractID) == [3])
        #expect(byName.suggestions.first?.score == 50)
    }

    @Test func nothingUsableIsUnidentified() {
        let match = matcher.match(camtPayment(["12345"], name: "Someone Else"), in: register)
        #expect(match.tier == .unidentified)
        #expect(match.suggestions.isEmpty)
    }

    @Test func repairsAreValidOCRsOnly() {
        for candidate in OCRRepair.candidates(of: "1234567890", lengthDigit: true) {
            #expect(OCRReference.isValid(candidate.reference, lengthDigit: true))
        }
        #expect(OCRRepair.candidates(of: "12a4", lengthDigit: true).isEmpty)
        // The longest reference a payer can give: its repairs stay within 25 digits (a
        // 26-digit "length digit missing" repair once stopped the import).
        for lengthDigit in [true, false] {
            let reference = OCRReference.make(base: String(repeating: "7", count: lengthDigit ? 23 : 24), lengthDigit: lengthDigit)
            let typed = "1" + reference.dropFirst()
            let repairs = OCRRepair.candidates(of: typed, lengthDigit: lengthDigit).map(\.reference)
            #expect(reference.count == 25)
            #expect(repairs.contains(reference))
            #expect(repairs.allSatisfy { $0.count <= 25 })
        }
        #expect(OCRRepair.digitRuns(in: "ab 12 3-456 7") == ["12", "456"])
    }

    /// The repairs are exactly the references one change away (a digit, a swap of neighbours,
    /// the length digit) that pass `OCRReference.isValid`, each once, and none longer than 25
    /// digits.
    @Test(arguments: [true, false])
    func repairsAreEveryValidReferenceOneChangeAway(lengthDigit: Bool) async {
        await propertyCheck(input: Gen.int(in: 2...25), Gen.int(in: 0...Int(Int32.max))) { length, seed in
            var random = seed
            let typed = String(
                (0..<length).map { _ in
                    random = (random &* 1_103_515_245 &+ 12_345) & 0x7fff_ffff
                    return Character(String(random % 10))
                })
            var expected: Set<String> = []
            let digits = Array(typed)
            for index in digits.indices {
                for digit in "0123456789" where digit != digits[index] {
                    var changed = digits
                    changed[index] = digit
                    expected.insert(String(changed))
                }
            }
            for index in digits.indices.dropLast() {
                var swapped = digits
                swapped.swapAt(index, index + 1)
                expected.insert(String(swapped))
            }
            if lengthDigit, length <= 24 { expected.insert(OCRReference.make(base: String(typed.dropLast()), lengthDigit: true)) }
            if !lengthDigit, length >= 3 { expected.insert(OCRReference.make(base: String(typed.dropLast(2)), lengthDigit: false)) }
            expected = expected.filter { $0 != typed && OCRReference.isValid($0, lengthDigit: lengthDigit) }
            let found = OCRRepair.candidates(of: typed, lengthDigit: lengthDigit).map(\.reference)
            #expect(found.count == Set(found).count, "each once")
            #expect(Set(found) == expected, "\(typed)")
        }
    }

    /// Every single-digit error of a valid reference is caught by the check digit, so the right
    /// reference is always among the repairs.
    @Test func everySingleDigitErrorIsRepairable() async {
        await propertyCheck(input: Gen.int(in: 1...9_999_999), Gen.int(in: 0...30), Gen.int(in: 1...9)) { base, position, delta in
            let reference = OCRReference.make(base: String(base), lengthDigit: true)
            var digits = Array(reference.utf8)
            let index = position % digits.count
            digits[index] = UInt8(ascii: "0") + UInt8((Int(digits[index] - 48) + delta) % 10)
            let typed = String(decoding: digits, as: UTF8.self)
            #expect(!OCRReference.isValid(typed, lengthDigit: true))
            #expect(OCRRepair.candidates(of: typed, lengthDigit: true).map(\.reference).contains(reference))
        }
    }
}

@Suite struct CommonNameTests {
    @Test func aNameManyTenantsShareSuggestsNone() {
        let tenants = (1...Int64(PaymentMatcher.commonNameLimit + 1)).map {
            TenantAccount(contractID: $0, contract: "AH-\($0)", district: "RK", name: "Anna Andersson", personalNumber: "19850312123\($0)")
        }
        let matcher = PaymentMatcher(lengthDigit: true)
        #expect(matcher.match(camtPayment([], name: "ANNA ANDERSSON"), in: RegisterStub(notices: [], tenants: tenants)).tier == .unidentified)
        let few = RegisterStub(notices: [], tenants: Array(tenants.prefix(PaymentMatcher.commonNameLimit)))
        #expect(matcher.match(camtPayment([], name: "ANNA ANDERSSON"), in: few).suggestions.count == PaymentMatcher.commonNameLimit)
    }
}
