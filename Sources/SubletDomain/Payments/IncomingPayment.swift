/// One incoming payment as a bank reported it (camt.054 or BgMax), before Sublet matches it.
public struct IncomingPayment: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable, CaseIterable {
        case camt054 = "camt.054"
        case bgmax
    }

    /// The largest amount Sublet accepts in a payment file: 1 000 000 000 kr.
    public static let limit = Money(kronor: 1_000_000_000)

    public var format: Format
    /// What makes two reports of one payment the same payment: the bank's reference (camt), or
    /// payee bankgiro, payment date, deposit serial and BGC serial (BgMax).
    public var bankKey: String
    /// Money in is positive; a BgMax deduction (TK21) or a camt.054 reversal is negative.
    public var amount: Money
    public var currency: String
    /// The day the payer's bank received the payment order: when rent counts as paid
    /// (docs/rules.md §8). camt.054: `BookgDt`; BgMax: the deposit's payment date.
    public var paymentDate: CalendarDate
    public var valueDate: CalendarDate?
    /// The references the payer gave, in order (BgMax: the record's and its TK22/23s).
    public var references: [String]
    /// Whether the bank verified the reference as an OCR number (BgMax referenskod 2). A
    /// camt.054 structured creditor reference is checked by Sublet itself.
    public var referenceVerified: Bool
    /// Free text (camt.054 `Ustrd`, BgMax TK25), lines joined by a space.
    public var text: String?
    public var payerName: String?
    /// The payer's organisation or identity number as reported (BgMax TK29, camt.054 `Dbtr/Id`).
    public var payerID: String?
    /// A payment taken back (camt.054 `RvslInd`).
    public var isReversal: Bool
    /// Where the payment starts in its file.
    public var line: Int

    public init(
        format: Format, bankKey: String, amount: Money, currency: String, paymentDate: CalendarDate, valueDate: CalendarDate? = nil,
        references: [String] = [], referenceVerified: Bool = false, text: String? = nil, payerName: String? = nil,
        payerID: String? = nil, isReversal: Bool = false, line: Int = 0
    ) {
        self.format = format
        self.bankKey = bankKey
        self.amount = amount
        self.currency = currency
        self.paymentDate = paymentDate
        self.valueDate = valueDate
        self.references = references
        self.referenceVerified = referenceVerified
        self.text = text
        self.payerName = payerName
        self.payerID = payerID
        self.isReversal = isReversal
        self.line = line
    }
}

/// A payment file that fails a check: rejected whole, nothing of it stored.
public struct PaymentFileError: Error, Sendable, Equatable, CustomStringConvertible, CategorizedError {
    public var file: String
    public var line: Int
    public var column: Int?
    public var reason: String

    public init(file: String, line: Int, column: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "\(Quote.escapingControlCharacters(file)):\(line)\(column.map { ":\($0)" } ?? ""): \(reason)"
    }

    public var category: ErrorCategory { .invalidInput }
}

/// What a payment file held: the payments, and what was skipped and why.
public struct PaymentFile: Sendable, Equatable {
    public var format: IncomingPayment.Format
    public var payments: [IncomingPayment]
    /// Debit entries and other records read but not taken, counted for the summary.
    public var skipped: [String]

    public init(format: IncomingPayment.Format, payments: [IncomingPayment], skipped: [String] = []) {
        self.format = format
        self.payments = payments
        self.skipped = skipped
    }
}
