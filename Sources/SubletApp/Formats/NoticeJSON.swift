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
}
