/// A landlord's e-invoice (PEPPOL BIS Billing 3.0, UBL 2.1 `Invoice` or `CreditNote`) as read
/// from XML: the fields Sublet matches, reconciles and re-checks, amounts still as written
/// (`xs:decimal` text). Built by the InvoiceFeed reader; holds no XML.
public struct SupplierInvoice: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case invoice
        case creditNote = "credit_note"
    }

    /// Where an element starts in the file (column 0: unknown).
    public struct Position: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    /// An amount as written, with its `currencyID` and where its element starts.
    public struct Amount: Sendable, Equatable {
        /// The number, without the whitespace around it.
        public var text: String
        /// The element's text exactly as written, whitespace included: the official BR-DEC rules
        /// count every character after the decimal point.
        public var written: String
        public var currency: String?
        public var position: Position?
        public init(text: String, currency: String?, position: Position? = nil, written: String? = nil) {
            self.text = text
            self.written = written ?? text
            self.currency = currency
            self.position = position
        }

        /// The characters after the first decimal point as written (0 without one), as the
        /// official rules count them: `string-length(substring-after(., '.'))`.
        public var writtenDecimals: Int {
            guard let point = written.firstIndex(of: ".") else { return 0 }
            return written[written.index(after: point)...].count
        }
        public var value: ExactDecimal? { ExactDecimal(text) }

        public static func == (lhs: Amount, rhs: Amount) -> Bool { lhs.text == rhs.text && lhs.currency == rhs.currency }
    }

    /// An allowance (`isCharge == false`) or charge, on the document or a line.
    public struct AllowanceCharge: Sendable, Equatable {
        public var isCharge: Bool
        public var amount: Amount?
        public var baseAmount: Amount?
        public var taxCategory: String?
        public var taxPercent: String?
        public init(isCharge: Bool) { self.isCharge = isCharge }
    }

    public struct TaxSubtotal: Sendable, Equatable {
        public var taxableAmount: Amount?
        public var taxAmount: Amount?
        public var category: String?
        public var percent: String?
        public init() {}
    }

    public struct TaxTotal: Sendable, Equatable {
        public var taxAmount: Amount?
        public var subtotals: [TaxSubtotal] = []
        public init() {}
    }

    public struct Line: Sendable, Equatable {
        public var id: String?
        public var quantity: String?
        public var quantityPosition: Position?
        public var unitCode: String?
        public var amount: Amount?
        public var priceAmount: Amount?
        public var baseQuantity: String?
        public var baseQuantityPosition: Position?
        public var itemName: String?
        public var sellersItemID: String?
        public var buyersItemID: String?
        /// `DocumentReference` ids with type code 130 (the invoiced object).
        public var objectReferences: [String] = []
        public var note: String?
        public var periodStart: String?
        public var periodEnd: String?
        public var taxCategory: String?
        public var taxPercent: String?
        public var allowanceCharges: [AllowanceCharge] = []
        /// The source line in the file.
        public var sourceLine: Int = 0
        public init() {}
    }

    public struct Party: Sendable, Equatable {
        /// `PartyLegalEntity/CompanyID` (BT-30) and its scheme.
        public var legalCompanyID: String?
        public var legalCompanyIDScheme: String?
        public var endpointID: String?
        public var endpointScheme: String?
        /// `PartyIdentification/ID` with scheme.
        public var identifiers: [(id: String, scheme: String?)] = []
        public var registrationName: String?
        public var tradingName: String?
        public init() {}

        public static func == (lhs: Party, rhs: Party) -> Bool {
            lhs.legalCompanyID == rhs.legalCompanyID && lhs.legalCompanyIDScheme == rhs.legalCompanyIDScheme
                && lhs.endpointID == rhs.endpointID && lhs.endpointScheme == rhs.endpointScheme
                && lhs.identifiers.map(\.id) == rhs.identifiers.map(\.id) && lhs.identifiers.map(\.scheme) == rhs.identifiers.map(\.scheme)
                && lhs.registrationName == rhs.registrationName && lhs.tradingName == rhs.tradingName
        }
    }

    public var kind: Kind
    public var number: String?
    public var issueDate: String?
    public var dueDate: String?
    public var typeCode: String?
    public var currency: String?
    public var customizationID: String?
    public var profileID: String?
    public var buyerReference: String?
    public var orderReference: String?
    public var contractReferences: [String] = []
    public var objectReferences: [String] = []
    public var billingReferences: [String] = []
    public var periodStart: String?
    public var periodEnd: String?
    public var seller = Party()
    public var buyerName: String?
    public var paymentID: String?
    public var lines: [Line] = []
    public var allowanceCharges: [AllowanceCharge] = []
    public var taxTotals: [TaxTotal] = []
    public var lineExtensionAmount: Amount?
    public var taxExclusiveAmount: Amount?
    public var taxInclusiveAmount: Amount?
    public var allowanceTotalAmount: Amount?
    public var chargeTotalAmount: Amount?
    public var prepaidAmount: Amount?
    public var roundingAmount: Amount?
    public var payableAmount: Amount?
    /// Every `currencyID` on an amount that PEPPOL-EN16931-R051 covers, with the element's name.
    public var currencyIDs: [(element: String, currency: String)] = []
    /// Where the document starts in the file (column 0: unknown).
    public var sourceLine: Int = 0
    public var sourceColumn: Int = 0

    public init(kind: Kind) { self.kind = kind }

    public static func == (lhs: SupplierInvoice, rhs: SupplierInvoice) -> Bool {
        lhs.kind == rhs.kind && lhs.number == rhs.number && lhs.issueDate == rhs.issueDate && lhs.seller == rhs.seller
            && lhs.lines == rhs.lines && lhs.payableAmount == rhs.payableAmount && lhs.sourceLine == rhs.sourceLine
    }

    /// The seller's Swedish organisation number: `PartyLegalEntity/CompanyID`, else the
    /// `EndpointID` or a `PartyIdentification` with scheme 0007 (10 digits, dashes removed).
    public var sellerOrganisationNumber: String? {
        let candidates =
            [seller.legalCompanyID]
            + [seller.endpointScheme == "0007" ? seller.endpointID : nil]
            + seller.identifiers.filter { $0.scheme == "0007" }.map(\.id)
        for candidate in candidates.compactMap({ $0 }) {
            let digits = candidate.filter(\.isNumber)
            if digits.count == 10 { return String(digits) }
            if digits.count == 12, digits.hasPrefix("16") { return String(digits.dropFirst(2)) }
        }
        return nil
    }
}

/// Why a document cannot be taken in at all: the whole file is rejected.
public struct DocumentProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int = 0, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line)" + (column > 0 ? ", column \(column)" : "") + ": " + message }
}
