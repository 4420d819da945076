/// How a landlord's document is filed (issue #4 §2): what of it counts, in which months, and what
/// was found. Pure: storage writes what comes back.
public struct FiledInvoice: Sendable, Equatable {
    /// A line as filed: its amount signed (a credit note's lines count negative) and, unless the
    /// invoice is a duplicate, the months it bills.
    public struct Line: Sendable, Equatable {
        public var source: SupplierInvoice.Line
        public var amount: Money
        public var months: [(period: BillingPeriod, amount: Money)]

        public static func == (lhs: Line, rhs: Line) -> Bool {
            lhs.source == rhs.source && lhs.amount == rhs.amount && lhs.months.map(\.period) == rhs.months.map(\.period)
                && lhs.months.map(\.amount) == rhs.months.map(\.amount)
        }
    }

    /// A finding recorded with the invoice.
    public struct Finding: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case ruleFailure = "rule_failure"
            case duplicateInvoice = "duplicate_invoice"
        }
        public var kind: Kind
        public var rule: String?
        public var line: String?
        public var message: String

        public init(kind: Kind, rule: String?, line: String?, message: String) {
            self.kind = kind
            self.rule = rule
            self.line = line
            self.message = message
        }
    }

    public var seller: String?
    public var number: String
    public var issueDate: CalendarDate
    /// The amount due, signed as the lines.
    public var payable: Money
    /// The invoice of which this one is a copy: it is kept, but never counts.
    public var duplicateOf: Int64?
    public var lines: [Line]
    public var findings: [Finding]

    /// The months the invoice bills.
    public var periods: Set<BillingPeriod> { Set(lines.flatMap { $0.months.map(\.period) }) }
}

/// Why a document cannot be filed although it was identified.
public enum FilingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Number, issue date or an amount missing or out of range (identification lets none through).
    case unidentified(String)

    public var description: String {
        switch self {
        case .unidentified(let what): "the document cannot be filed: \(what)"
        }
    }
}

public enum InvoiceFiling {
    /// The key that makes an invoice the same invoice: seller and number.
    public static func identity(seller: String?, number: String) -> String { (seller ?? "?") + "\u{1F}" + number }

    /// Files an identified document (`SupplierInvoice.identificationProblems()` found nothing):
    /// credit notes count negative; each line bills its own period, else the document's, else the
    /// issue month, split by days; a duplicate bills no month and gets one finding, the original's
    /// findings stay with the original; otherwise the EN 16931 rules' failures are its findings.
    public static func file(_ document: SupplierInvoice, duplicateOf: Int64?) throws(FilingError) -> FiledInvoice {
        guard let number = document.number else { throw .unidentified("no invoice number") }
        guard let issueDate = document.issueDate.flatMap({ CalendarDate($0) }) else { throw .unidentified("no issue date") }
        let sign = document.kind == .creditNote ? -1 : 1
        func signed(_ amount: SupplierInvoice.Amount?, _ what: @autoclosure () -> String) throws(FilingError) -> Money {
            guard let money = amount?.value?.roundedMoney, let value = Int(exactly: Int128(money.ore) * Int128(sign)) else {
                throw .unidentified("\(what()) is out of range")
            }
            return Money(ore: value)
        }
        let seller = document.sellerOrganisationNumber
        var lines: [FiledInvoice.Line] = []
        for line in document.lines {
            let amount = line.amount == nil ? Money.zero : try signed(line.amount, "line \(line.id ?? "?")")
            var months: [(period: BillingPeriod, amount: Money)] = []
            if duplicateOf == nil {
                let range = InvoicePeriods.range(
                    lineStart: line.periodStart, lineEnd: line.periodEnd, documentStart: document.periodStart,
                    documentEnd: document.periodEnd, issueDate: issueDate)
                do {
                    months = try InvoicePeriods.split(amount, over: range).map { (period: $0.0, amount: $0.1) }
                } catch {
                    throw .unidentified("line \(line.id ?? "?") is out of range")
                }
            }
            lines.append(FiledInvoice.Line(source: line, amount: amount, months: months))
        }
        let findings: [FiledInvoice.Finding] =
            if let duplicateOf {
                [
                    FiledInvoice.Finding(
                        kind: .duplicateInvoice, rule: nil, line: nil,
                        message:
                            "invoice \(number) from \(seller ?? "an unknown seller") was taken in before (invoice id \(duplicateOf)); this copy never counts"
                    )
                ]
            } else {
                InvoiceRules.check(document).map { FiledInvoice.Finding(kind: .ruleFailure, rule: $0.rule, line: $0.line, message: $0.message) }
            }
        let payable = document.payableAmount == nil ? Money.zero : try signed(document.payableAmount, "the amount due")
        return FiledInvoice(
            seller: seller, number: number, issueDate: issueDate, payable: payable, duplicateOf: duplicateOf, lines: lines, findings: findings)
    }
}
