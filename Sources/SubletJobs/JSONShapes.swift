import Foundation
import SubletDomain
import SubletStorage

/// An optional written as `null` when absent (`JSONEncoder` leaves absent optionals out), so
/// that every JSON shape always has all its keys.
@propertyWrapper
public struct NullWhenAbsent<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension NullWhenAbsent: Sendable where Value: Sendable {}
extension NullWhenAbsent: Equatable where Value: Equatable {}

/// The JSON shapes of `--json` output and export files, documented in docs/cli.md and
/// docs/formats.md. Amounts are strings with two decimals (`"7850.00"`), dates ISO, absent values
/// `null`; keys are snake_case and sorted.
public enum JSONShape {
    public static func encode(_ value: some Encodable, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public struct NoticeLineJSON: Encodable {
        public var text: String
        public var amount: String
        public var vatRate: Int
        public var vatAmount: String
        public var correctsPeriod: String?
        public var correctsNotice: String?

        public init(_ line: NoticeLine) {
            text = line.text
            amount = line.amount.plain
            vatRate = line.vatRate
            vatAmount = line.vatAmount.plain
            correctsPeriod = line.correctsPeriod?.description
            correctsNotice = line.correctsNotice
        }

        enum CodingKeys: String, CodingKey {
            case text, amount, vatRate = "vat_rate", vatAmount = "vat_amount"
            case correctsPeriod = "corrects_period", correctsNotice = "corrects_notice"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(amount, forKey: .amount)
            try container.encode(vatRate, forKey: .vatRate)
            try container.encode(vatAmount, forKey: .vatAmount)
            // Only correction lines carry what they correct.
            try container.encodeIfPresent(correctsPeriod, forKey: .correctsPeriod)
            try container.encodeIfPresent(correctsNotice, forKey: .correctsNotice)
        }
    }

    public struct NoticeJSON: Encodable {
        public var number: String
        public var contract: String
        public var period: String
        public var kind: String
        public var issueDate: String
        public var dueDate: String
        public var ocr: String
        public var total: String
        public var lines: [NoticeLineJSON]

        public init(_ notice: Notice) {
            number = notice.number
            contract = notice.contractNumber
            period = notice.period.description
            kind = notice.kind.rawValue
            issueDate = notice.issueDate.description
            dueDate = notice.dueDate.description
            ocr = notice.ocr
            total = notice.total.plain
            lines = notice.lines.map(NoticeLineJSON.init)
        }

        enum CodingKeys: String, CodingKey {
            case number, contract, period, kind, issueDate = "issue_date", dueDate = "due_date", ocr, total, lines
        }
    }

    /// A notice as the print house receives it: the notice plus whom and where to send it.
    public struct PrintNoticeJSON: Encodable {
        public var notice: NoticeJSON
        public var tenantName: String
        public var address: String
        public var district: String
        public var objectID: String?

        public init(_ document: NoticeDocument) {
            notice = NoticeJSON(document.notice)
            tenantName = document.tenantName
            address = document.address
            district = document.district
            objectID = document.objectID
        }

        enum CodingKeys: String, CodingKey { case tenantName = "tenant_name", address, district, objectID = "object_id" }

        public func encode(to encoder: any Encoder) throws {
            try notice.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tenantName, forKey: .tenantName)
            try container.encode(address, forKey: .address)
            try container.encode(district, forKey: .district)
            try container.encode(objectID, forKey: .objectID)
        }
    }

    public struct TermStepJSON: Encodable {
        public var component: String
        public var validFrom: String
        @NullWhenAbsent public var amount: String?
        public var vatRate: Int

        public init(component: String, validFrom: String, amount: String?, vatRate: Int) {
            self.component = component
            self.validFrom = validFrom
            self.amount = amount
            self.vatRate = vatRate
        }

        enum CodingKeys: String, CodingKey { case component, validFrom = "valid_from", amount, vatRate = "vat_rate" }
    }

    public struct ChargeJSON: Encodable {
        public var label: String
        public var amount: String
        public var vatRate: Int
        enum CodingKeys: String, CodingKey { case label, amount, vatRate = "vat_rate" }
    }

    public struct ContractJSON: Encodable {
        public var number: String
        public var district: String
        public var tenantName: String
        public var personalNumber: String
        public var address: String
        @NullWhenAbsent public var objectID: String?
        public var startDate: String
        @NullWhenAbsent public var endDate: String?
        /// Rent and charges in force on `termsOn`.
        public var termsOn: String
        @NullWhenAbsent public var rent: String?
        public var charges: [ChargeJSON]
        public var terms: [TermStepJSON]
        public var origin: String
        public var registeredOn: String

        /// `unmasked`: only the administrator's `contract show` shows the whole personal number.
        public init(_ contract: Contract, on date: CalendarDate, unmasked: Bool = false) {
            number = contract.number
            district = contract.district
            tenantName = contract.tenantName
            personalNumber = unmasked ? contract.personalNumber.formatted : contract.personalNumber.masked
            address = contract.address
            objectID = contract.objectID
            startDate = contract.terms.start.description
            endDate = contract.terms.end?.description
            let day = max(date, contract.terms.start)
            termsOn = day.description
            rent = contract.terms.step(of: ContractTerms.rent, on: day)?.amount?.plain
            charges = contract.terms.componentNames.dropFirst().compactMap { label in
                contract.terms.step(of: label, on: day).map { ChargeJSON(label: label, amount: $0.amount!.plain, vatRate: $0.vatRate) }
            }
            terms = contract.terms.steps.sorted { ($0.validFrom, $0.component) < ($1.validFrom, $1.component) }.map {
                TermStepJSON(component: $0.component, validFrom: $0.validFrom.description, amount: $0.amount?.plain, vatRate: $0.vatRate)
            }
            origin = contract.origin.rawValue
            registeredOn = contract.registeredOn.description
        }

        enum CodingKeys: String, CodingKey {
            case number, district, tenantName = "tenant_name", personalNumber = "personal_number", address
            case objectID = "object_id", startDate = "start_date", endDate = "end_date", termsOn = "terms_on"
            case rent, charges, terms, origin, registeredOn = "registered_on"
        }
    }

    public struct NoticeRunJSON: Encodable {
        public var period: String
        public var issued: Int
        public var alreadyIssued: Int
        public var total: String
        public var dueDate: String
        public var dryRun: Bool
        public var correctionLines: Int
        public var correctionNotices: Int
        public var catchUpNotices: Int
        public var refunds: Int
        public var refundTotal: String

        public init(_ report: NoticeRunReport) {
            period = report.period.description
            issued = report.issued
            alreadyIssued = report.alreadyIssued
            total = report.total.plain
            dueDate = report.dueDate.description
            dryRun = report.dryRun
            correctionLines = report.correctionLines
            correctionNotices = report.correctionNotices
            catchUpNotices = report.catchUpNotices
            refunds = report.refunds
            refundTotal = report.refundTotal.plain
        }

        enum CodingKeys: String, CodingKey {
            case period, issued, alreadyIssued = "already_issued", total, dueDate = "due_date", dryRun = "dry_run"
            case correctionLines = "correction_lines", correctionNotices = "correction_notices", catchUpNotices = "catch_up_notices"
            case refunds, refundTotal = "refund_total"
        }
    }
}

extension JSONShape {
    /// `correction{number, contract, affected_notices, months[{period, billed, correct, difference}], total, fee}`.
    public struct CorrectionJSON: Encodable {
        @NullWhenAbsent public var number: String?
        public var contract: String
        public var district: String
        public var change: String
        public var recordedOn: String
        public var affectedNotices: Int
        public var months: [MonthJSON]
        public var total: String
        @NullWhenAbsent public var minutes: Int?
        @NullWhenAbsent public var fee: FeeJSON?

        public init(_ correction: Correction) {
            number = correction.number
            contract = correction.contract
            district = correction.district
            change = correction.change
            recordedOn = correction.recordedOn.description
            affectedNotices = correction.affectedNotices
            months = correction.months.map {
                MonthJSON(period: $0.period.description, notice: $0.notice, billed: $0.billed.plain, correct: $0.correct.plain, difference: $0.difference.plain)
            }
            total = correction.total.plain
            minutes = correction.minutes
            fee = correction.fee.map {
                FeeJSON(amount: $0.amount.plain, model: $0.model.rawValue, minutes: $0.minutes, billingPeriod: $0.billingPeriod.description,
                        waived: $0.waived, reason: $0.waiverReason)
            }
        }

        enum CodingKeys: String, CodingKey {
            case number, contract, district, change, recordedOn = "recorded_on", affectedNotices = "affected_notices", months, total, minutes, fee
        }
    }

    public struct MonthJSON: Encodable {
        public var period: String
        @NullWhenAbsent public var notice: String?
        public var billed: String
        public var correct: String
        public var difference: String

        enum CodingKeys: String, CodingKey { case period, notice, billed, correct, difference }
    }

    public struct FeeJSON: Encodable {
        public var amount: String
        public var model: String
        @NullWhenAbsent public var minutes: Int?
        public var billingPeriod: String
        public var waived: Bool
        @NullWhenAbsent public var reason: String?

        enum CodingKeys: String, CodingKey { case amount, model, minutes, billingPeriod = "billing_period", waived, reason }
    }
}
