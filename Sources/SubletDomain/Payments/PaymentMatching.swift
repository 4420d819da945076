/// A notice as payment matching sees it: what identifies it and what is still owed on it.
public struct NoticeAccount: Sendable, Equatable {
    public var noticeID: Int64
    public var number: String
    public var ocr: String
    public var contractID: Int64
    public var contract: String
    public var district: String
    public var dueDate: CalendarDate
    /// Billed less applied; positive while something is owed.
    public var balance: Money
    /// The contract's last day, if it has ended or will.
    public var contractEnd: CalendarDate?

    public init(
        noticeID: Int64, number: String, ocr: String, contractID: Int64, contract: String, district: String, dueDate: CalendarDate,
        balance: Money, contractEnd: CalendarDate? = nil
    ) {
        self.contractEnd = contractEnd
        self.noticeID = noticeID
        self.number = number
        self.ocr = ocr
        self.contractID = contractID
        self.contract = contract
        self.district = district
        self.dueDate = dueDate
        self.balance = balance
    }
}

/// A tenant as matching sees one: for payments without a usable reference.
public struct TenantAccount: Sendable, Equatable {
    public var contractID: Int64
    public var contract: String
    public var district: String
    public var name: String
    /// Twelve digits.
    public var personalNumber: String

    public init(contractID: Int64, contract: String, district: String, name: String, personalNumber: String) {
        self.contractID = contractID
        self.contract = contract
        self.district = district
        self.name = name
        self.personalNumber = personalNumber
    }
}

/// What matching may ask of the register. Storage answers from the open transaction.
public protocol PaymentLookup {
    /// The notice with this OCR reference, paid or not.
    func notice(ocr: String) -> NoticeAccount?
    /// The notice with this number (`2026-000123`).
    func notice(number: String) -> NoticeAccount?
    /// Contracts whose tenant has this name (normalised: `PaymentMatcher.normalisedName`).
    func tenants(named name: String) -> [TenantAccount]
    /// Contracts whose tenant has this personal number (12 digits).
    func tenants(identity: String) -> [TenantAccount]
    /// A contract's notices with something owed, oldest due date first.
    func openNotices(contractID: Int64) -> [NoticeAccount]
    /// The notice a repaired reference would name, if any: asked for many guesses per payment,
    /// so a register may answer from what it holds at hand (by default, as `notice(ocr:)`).
    func repairCandidate(ocr: String) -> NoticeAccount?
}

extension PaymentLookup {
    public func repairCandidate(ocr: String) -> NoticeAccount? { notice(ocr: ocr) }
}

/// A possible home for a payment that was not matched automatically.
public struct PaymentSuggestion: Sendable, Equatable {
    public var contractID: Int64
    public var contract: String
    public var district: String
    public var noticeID: Int64?
    public var notice: String?
    /// 0–100: how sure the suggestion is.
    public var score: Int
    public var reason: String

    public init(contractID: Int64, contract: String, district: String, noticeID: Int64?, notice: String?, score: Int, reason: String) {
        self.contractID = contractID
        self.contract = contract
        self.district = district
        self.noticeID = noticeID
        self.notice = notice
        self.score = score
        self.reason = reason
    }

    public init(_ account: NoticeAccount, score: Int, reason: String) {
        self.init(
            contractID: account.contractID, contract: account.contract, district: account.district, noticeID: account.noticeID,
            notice: account.number, score: score, reason: reason)
    }
}

/// How a payment was matched (docs/formats.md, "Matching"): the tier is recorded with it.
public struct PaymentMatch: Sendable, Equatable {
    public enum Tier: String, Sendable, Equatable, CaseIterable {
        /// 1: a valid OCR reference naming a notice; applied automatically.
        case ocr
        /// 2: a reference that one repair makes unique; a suggestion.
        case repaired
        /// 3: the payer's name or identity number; ranked suggestions.
        case payer
        /// 4: nothing found.
        case unidentified
    }

    public var tier: Tier
    /// Tier 1: the notice the payment is applied to.
    public var notice: NoticeAccount?
    /// Tiers 2–4: best first.
    public var suggestions: [PaymentSuggestion]

    public init(tier: Tier, notice: NoticeAccount? = nil, suggestions: [PaymentSuggestion] = []) {
        self.tier = tier
        self.notice = notice
        self.suggestions = suggestions
    }

    /// Whether the payment is applied without a person looking at it.
    public var isAutomatic: Bool { tier == .ocr }
}

/// Matches incoming payments to notices in tiers (issue #9 §3). Pure: the register is asked
/// through `PaymentLookup`.
public struct PaymentMatcher: Sendable {
    /// Whether Sublet's OCR references carry a length digit (`ocr.length_digit`).
    public var lengthDigit: Bool

    public init(lengthDigit: Bool) { self.lengthDigit = lengthDigit }

    public func match(_ payment: IncomingPayment, in lookup: some PaymentLookup) -> PaymentMatch {
        // Tier 1: one reference, a valid OCR (verified by the bank for BgMax), naming a notice.
        // Never a deduction, a reversal without a reference, or a payment with several references.
        if payment.references.count == 1, let reference = payment.references.first,
            payment.format == .bgmax ? payment.referenceVerified : OCRReference.isValid(reference, lengthDigit: lengthDigit),
            payment.amount.ore > 0 || payment.isReversal, let notice = lookup.notice(ocr: reference)
        {
            return PaymentMatch(tier: .ocr, notice: notice)
        }
        let repaired = repairs(payment, lookup)
        if !repaired.isEmpty { return PaymentMatch(tier: .repaired, suggestions: repaired) }
        let byPayer = payerSuggestions(payment, lookup)
        if !byPayer.isEmpty { return PaymentMatch(tier: .payer, suggestions: byPayer) }
        return PaymentMatch(tier: .unidentified)
    }

    /// Tier 2: every reference (and every number in the free text) as given and as repaired.
    func repairs(_ payment: IncomingPayment, _ lookup: some PaymentLookup) -> [PaymentSuggestion] {
        var found: [Int64: PaymentSuggestion] = [:]
        func consider(_ account: NoticeAccount?, score: Int, _ reason: String) {
            guard let account, (found[account.noticeID]?.score ?? -1) < score else { return }
            found[account.noticeID] = PaymentSuggestion(account, score: score, reason: reason)
        }
        for reference in payment.references {
            let digits = reference.filter(\.isNumber)
            if payment.references.count > 1 {
                consider(lookup.notice(ocr: digits), score: 70, "one of several references (\(digits)); the payment may cover several notices")
            } else if !payment.referenceVerified {
                consider(lookup.notice(ocr: digits), score: 80, "reference \(digits) names the notice but the bank did not verify it as OCR")
            }
            if payment.amount.isNegative {
                consider(lookup.notice(ocr: digits), score: 60, "a deduction or reversal naming the notice's OCR")
            }
            for candidate in OCRRepair.candidates(of: digits, lengthDigit: lengthDigit) {
                consider(lookup.repairCandidate(ocr: candidate.reference), score: 75, candidate.reason)
            }
            if let number = NoticeNumberPattern.number(in: reference) {
                consider(lookup.notice(number: number), score: 85, "the notice number \(number) was given instead of the OCR")
            }
        }
        for run in OCRRepair.digitRuns(in: payment.text ?? "") where OCRReference.isValid(run, lengthDigit: lengthDigit) {
            consider(lookup.notice(ocr: run), score: 80, "OCR \(run) found in the payment's text")
        }
        if let text = payment.text, let number = NoticeNumberPattern.number(in: text) {
            consider(lookup.notice(number: number), score: 75, "notice number \(number) found in the payment's text")
        }
        let suggestions = found.values.sorted { ($0.score, $1.noticeID ?? 0) > ($1.score, $0.noticeID ?? 0) }
        // A repair that fits more than one notice is only as good as a guess.
        return suggestions.count > 1
            ? suggestions.map {
                var s = $0
                s.score = min(s.score, 50)
                return s
            } : suggestions
    }

    /// Tier 3: the payer's identity number or name against the tenants, ranked by whether the
    /// amount fits one of the contract's open notices.
    func payerSuggestions(_ payment: IncomingPayment, _ lookup: some PaymentLookup) -> [PaymentSuggestion] {
        var candidates: [(TenantAccount, Int, String)] = []
        for id in Self.personalNumberCandidates(payment.payerID ?? "") {
            candidates += lookup.tenants(identity: id).map { ($0, 70, "the payer's identity number is the tenant's") }
        }
        if let name = payment.payerName.map(Self.normalisedName), !name.isEmpty {
            // A name many tenants share says nothing about which of them paid.
            let named = lookup.tenants(named: name)
            if named.count <= Self.commonNameLimit { candidates += named.map { ($0, 50, "the payer's name is the tenant's") } }
        }
        var best: [Int64: PaymentSuggestion] = [:]
        for (tenant, base, reason) in candidates {
            let open = lookup.openNotices(contractID: tenant.contractID)
            let fitting = open.first { $0.balance == payment.amount }
            let suggestion =
                if let fitting {
                    PaymentSuggestion(fitting, score: base + 20, reason: reason + " and the amount is what notice \(fitting.number) owes")
                } else {
                    PaymentSuggestion(
                        contractID: tenant.contractID, contract: tenant.contract, district: tenant.district, noticeID: open.first?.noticeID,
                        notice: open.first?.number, score: base, reason: reason)
                }
            if (best[tenant.contractID]?.score ?? -1) < suggestion.score { best[tenant.contractID] = suggestion }
        }
        return best.values.sorted { ($0.score, $1.contractID) > ($1.score, $0.contractID) }
    }

    /// More tenants than this with the payer's name: the name suggests none of them.
    public static let commonNameLimit = 5

    /// Lower case, letters and digits only, words sorted: "BERGSTRÖM, ANNA" = "anna bergström".
    public static func normalisedName(_ name: String) -> String {
        // Most names are ASCII: lower-cased and split byte by byte, without Unicode tables.
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            var words: [[UInt8]] = []
            var word: [UInt8] = []
            for byte in name.utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
                default:
                    if !word.isEmpty { words.append(word) }
                    word = []
                }
            }
            if !word.isEmpty { words.append(word) }
            return words.map { String(decoding: $0, as: UTF8.self) }.sorted().joined(separator: " ")
        }
        let words = name.lowercased().split { !$0.isLetter && !$0.isNumber }
        return words.sorted().joined(separator: " ")
    }

    /// A personal number as twelve digits: as given, or a ten-digit one in both centuries.
    static func personalNumberCandidates(_ text: String) -> [String] {
        let digits = String(text.filter { $0.isASCII && $0.isNumber })
        switch digits.count {
        case 12: return [digits]
        case 10: return ["19" + digits, "20" + digits]
        default: return []
        }
    }
}

/// The notice numbers Sublet prints: `YYYY-NNNNNN`, also written without the dash.
enum NoticeNumberPattern {
    static func number(in text: String) -> String? {
        for run in OCRRepair.digitRuns(in: text.replacingDashesBetweenDigits()) where run.count == 10 {
            let year = Int(run.prefix(4)) ?? 0
            if (1990...2200).contains(year) { return run.prefix(4) + "-" + run.suffix(6) }
        }
        return nil
    }
}

extension String {
    /// "2026-000123" → "2026000123", so a notice number reads as one run of digits.
    fileprivate func replacingDashesBetweenDigits() -> String {
        var result = ""
        let characters = Array(self)
        for (index, character) in characters.enumerated() {
            if character == "-", index > 0, index + 1 < characters.count, characters[index - 1].isNumber, characters[index + 1].isNumber {
                continue
            }
            result.append(character)
        }
        return result
    }
}
