import SubletDomain

/// Turns the element events of one file into `SupplierInvoice` values: finds each Invoice or
/// CreditNote at any depth and reads the fields Sublet uses by their path below it.
///
/// Each open element's path below the document root (`InvoiceLine/Item/Name`) is looked up once,
/// when it starts, in a table of the fields Sublet reads; the end of the element then acts on
/// that field alone.
struct InvoiceDocumentBuilder: XMLStreamHandler {
    let file: String
    /// Hears each document as it ends.
    let completed: (SupplierInvoice) throws -> Void
    /// The file's root element and where it starts, for a file without documents.
    private(set) var root: (name: String, line: Int, column: Int)?

    private struct Frame {
        /// Where the element is in `PathTree`, or nil below an element Sublet does not read.
        var node: Int?
        var name: XMLName
        var inUBL: Bool
        var attributes: XMLAttributes
        var text = ""
        /// Where a number's element starts, for a located rejection (other elements: not worked out).
        var position: SupplierInvoice.Position?
    }

    /// Elements above the current document, while outside one.
    private var outside = 0
    private var inDocument = false
    private var frames: [Frame] = []
    /// `PathTree` steps taken before in this file, at `name id × node count + node`: the child
    /// node, `none` (no such child), or `unknown` (not looked up yet).
    private var steps: [Int32] = []
    private static let none: Int32 = -1, unknown: Int32 = -2
    private var document = SupplierInvoice(kind: .invoice)
    private var line: SupplierInvoice.Line?
    private var charge: SupplierInvoice.AllowanceCharge?
    private var taxTotal: SupplierInvoice.TaxTotal?
    private var subtotal: SupplierInvoice.TaxSubtotal?
    private var reference: (id: String?, type: String?)?
    private var identifier: (id: String?, scheme: String?)?

    init(file: String, completed: @escaping (SupplierInvoice) throws -> Void) {
        self.file = file
        self.completed = completed
    }

    mutating func start(_ name: XMLName, attributes: XMLAttributes, at location: XMLLocation) throws {
        if root == nil {
            root = (name.namespace.isEmpty ? name.localName : "{\(name.namespace)}\(name.localName)", location.line, location.column)
        }
        guard inDocument else {
            if name.namespace == UBL.svefaktura {
                throw FeedError.unsupported(
                    file: file, line: location.line, column: location.column,
                    reason: "Svefaktura 1.0 (\(name.namespace)) is not supported; ask the landlord for PEPPOL BIS Billing 3.0")
            }
            if (name.localName == "Invoice" && name.namespace == UBL.invoice) || (name.localName == "CreditNote" && name.namespace == UBL.creditNote)
            {
                document = SupplierInvoice(kind: name.localName == "Invoice" ? .invoice : .creditNote)
                document.sourceLine = location.line
                document.sourceColumn = location.column
                inDocument = true
                frames.removeAll(keepingCapacity: true)
            } else {
                outside += 1
            }
            return
        }
        let parent = frames.last
        let inUBL = name.isUBLComponent && (parent?.inUBL ?? true)
        var node: Int?
        if inUBL, let from = parent.map(\.node) ?? PathTree.root {
            if name.id >= 0 {
                let key = name.id * PathTree.nodes.count + from
                if key >= steps.count { steps += repeatElement(Self.unknown, count: key + 1 - steps.count + 16 * PathTree.nodes.count) }
                if steps[key] == Self.unknown { steps[key] = PathTree.nodes[from].children[name.localName].map(Int32.init) ?? Self.none }
                node = steps[key] == Self.none ? nil : Int(steps[key])
            } else {
                node = PathTree.nodes[from].children[name.localName]
            }
        }
        frames.append(Frame(node: node, name: name, inUBL: inUBL, attributes: attributes))
        if let node, let field = PathTree.nodes[node].field {
            if field.isNumber { frames[frames.count - 1].position = SupplierInvoice.Position(line: location.line, column: location.column) }
            start(field, line: field == .line ? location.line : 0)
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Only the text of the fields Sublet reads becomes a String.
        guard let node = frames.last?.node, PathTree.nodes[node].field != nil else { return }
        frames[frames.count - 1].text += String(decoding: bytes, as: UTF8.self)
    }

    mutating func end() throws {
        guard inDocument else {
            if outside > 0 { outside -= 1 }
            return
        }
        guard let frame = frames.popLast() else {
            inDocument = false
            try completed(document)
            return
        }
        if frame.inUBL { end(frame) }
    }

    private mutating func start(_ field: Field, line sourceLine: Int) {
        switch field {
        case .line:
            line = SupplierInvoice.Line()
            line?.sourceLine = sourceLine
        case .documentCharge, .lineCharge: charge = SupplierInvoice.AllowanceCharge(isCharge: false)
        case .taxTotal: taxTotal = SupplierInvoice.TaxTotal()
        case .taxSubtotal: subtotal = SupplierInvoice.TaxSubtotal()
        case .documentReference, .lineDocumentReference: reference = (nil, nil)
        case .sellerIdentification: identifier = (nil, nil)
        default: break
        }
    }

    private mutating func end(_ frame: Frame) {
        if let currency = frame.attributes.currencyID, Self.amountElements.contains(frame.name.localName) {
            document.currencyIDs.append((frame.name.localName, currency))
        }
        guard let node = frame.node, let field = PathTree.nodes[node].field else { return }
        let text = frame.text.trimmingASCIIWhitespace()
        let amount = { SupplierInvoice.Amount(text: text, currency: frame.attributes.currencyID, position: frame.position, written: frame.text) }
        // Every field is in exactly one of these.
        _ =
            endHeader(field, text, frame, amount) || endParty(field, text, frame, amount) || endAmounts(field, text, frame, amount)
            || endLine(field, text, frame, amount)
    }

    /// The header: identity, dates, references and periods. Returns whether `field` is one of them.
    private mutating func endHeader(_ field: Field, _ text: String, _ frame: Frame, _ amount: () -> SupplierInvoice.Amount) -> Bool {
        switch field {
        case .number: document.number = text
        case .issueDate: document.issueDate = text
        case .dueDate: document.dueDate = document.dueDate ?? text
        case .typeCode: document.typeCode = text
        case .currency: document.currency = text
        case .customizationID: document.customizationID = text
        case .profileID: document.profileID = text
        case .buyerReference: document.buyerReference = text
        case .orderReference: document.orderReference = text
        case .contractReference: document.contractReferences.append(text)
        case .billingReference: document.billingReferences.append(text)
        case .periodStart: document.periodStart = text
        case .periodEnd: document.periodEnd = text
        case .referenceID: reference?.id = text
        case .referenceType: reference?.type = text
        case .documentReference:
            if reference?.type == "130", let id = reference?.id { document.objectReferences.append(id) }
            reference = nil
        case .lineDocumentReference:
            if reference?.type == "130", let id = reference?.id { line?.objectReferences.append(id) }
            reference = nil
        default: return false
        }
        return true
    }

    /// The seller and the buyer. Returns whether `field` is one of them.
    private mutating func endParty(_ field: Field, _ text: String, _ frame: Frame, _ amount: () -> SupplierInvoice.Amount) -> Bool {
        switch field {
        case .sellerEndpoint:
            document.seller.endpointID = text
            document.seller.endpointScheme = frame.attributes.schemeID
        case .sellerIdentificationID: identifier = (text, frame.attributes.schemeID)
        case .sellerIdentification:
            if let identifier, let id = identifier.id { document.seller.identifiers.append((id, identifier.scheme)) }
            identifier = nil
        case .sellerLegalID:
            document.seller.legalCompanyID = text
            document.seller.legalCompanyIDScheme = frame.attributes.schemeID
        case .sellerRegistrationName: document.seller.registrationName = text
        case .sellerTradingName: document.seller.tradingName = text
        case .buyerName: document.buyerName = text
        case .paymentID: document.paymentID = document.paymentID ?? text
        default: return false
        }
        return true
    }

    /// Allowances and charges, VAT and the totals. Returns whether `field` is one of them.
    private mutating func endAmounts(_ field: Field, _ text: String, _ frame: Frame, _ amount: () -> SupplierInvoice.Amount) -> Bool {
        switch field {
        case .chargeIndicator: charge?.isCharge = text == "true"
        case .chargeAmount: charge?.amount = amount()
        case .chargeBaseAmount: charge?.baseAmount = amount()
        case .chargeTaxCategory: charge?.taxCategory = text
        case .chargeTaxPercent: charge?.taxPercent = text
        case .documentCharge:
            if let charge { document.allowanceCharges.append(charge) }
            charge = nil
        case .lineCharge:
            if let charge { line?.allowanceCharges.append(charge) }
            charge = nil
        case .taxAmount: taxTotal?.taxAmount = amount()
        case .subtotalTaxableAmount: subtotal?.taxableAmount = amount()
        case .subtotalTaxAmount: subtotal?.taxAmount = amount()
        case .subtotalCategory: subtotal?.category = text
        case .subtotalPercent: subtotal?.percent = text
        case .taxSubtotal:
            if let subtotal { taxTotal?.subtotals.append(subtotal) }
            subtotal = nil
        case .taxTotal:
            if let taxTotal {
                // PEPPOL-EN16931-R051 covers the VAT total that has subtotals (not BT-111).
                if !taxTotal.subtotals.isEmpty, let currency = taxTotal.taxAmount?.currency {
                    document.currencyIDs.append(("TaxTotal/TaxAmount", currency))
                }
                document.taxTotals.append(taxTotal)
            }
            taxTotal = nil
        case .lineExtensionAmount: document.lineExtensionAmount = amount()
        case .taxExclusiveAmount: document.taxExclusiveAmount = amount()
        case .taxInclusiveAmount: document.taxInclusiveAmount = amount()
        case .allowanceTotalAmount: document.allowanceTotalAmount = amount()
        case .chargeTotalAmount: document.chargeTotalAmount = amount()
        case .prepaidAmount: document.prepaidAmount = amount()
        case .roundingAmount: document.roundingAmount = amount()
        case .payableAmount: document.payableAmount = amount()
        default: return false
        }
        return true
    }

    /// The lines. Returns whether `field` is one of them.
    private mutating func endLine(_ field: Field, _ text: String, _ frame: Frame, _ amount: () -> SupplierInvoice.Amount) -> Bool {
        switch field {
        case .line:
            if let line { document.lines.append(line) }
            line = nil
        case .lineID: line?.id = text
        case .lineQuantity:
            line?.quantity = text
            line?.quantityPosition = frame.position
            line?.unitCode = frame.attributes.unitCode
        case .lineAmount: line?.amount = amount()
        case .lineNote: line?.note = text
        case .linePeriodStart: line?.periodStart = text
        case .linePeriodEnd: line?.periodEnd = text
        case .itemName: line?.itemName = text
        case .sellersItemID: line?.sellersItemID = text
        case .buyersItemID: line?.buyersItemID = text
        case .lineTaxCategory: line?.taxCategory = text
        case .lineTaxPercent: line?.taxPercent = text
        case .priceAmount: line?.priceAmount = amount()
        case .baseQuantity:
            line?.baseQuantity = text
            line?.baseQuantityPosition = frame.position
        default: return false
        }
        return true
    }

    /// What an element below the document root means to Sublet.
    enum Field {
        case number, issueDate, dueDate, typeCode, currency, customizationID, profileID, buyerReference, orderReference
        case contractReference, billingReference, periodStart, periodEnd
        case referenceID, referenceType, documentReference, lineDocumentReference
        case sellerEndpoint, sellerIdentificationID, sellerIdentification, sellerLegalID, sellerRegistrationName, sellerTradingName
        case buyerName, paymentID
        case chargeIndicator, chargeAmount, chargeBaseAmount, chargeTaxCategory, chargeTaxPercent, documentCharge, lineCharge
        case taxAmount, subtotalTaxableAmount, subtotalTaxAmount, subtotalCategory, subtotalPercent, taxSubtotal, taxTotal
        case lineExtensionAmount, taxExclusiveAmount, taxInclusiveAmount, allowanceTotalAmount, chargeTotalAmount, prepaidAmount
        case roundingAmount, payableAmount
        case line, lineID, lineQuantity, lineAmount, lineNote, linePeriodStart, linePeriodEnd, itemName, sellersItemID, buyersItemID
        case lineTaxCategory, lineTaxPercent, priceAmount, baseQuantity

        /// An amount or a quantity: its position is kept for a located rejection.
        var isNumber: Bool {
            switch self {
            case .chargeAmount, .chargeBaseAmount, .taxAmount, .subtotalTaxableAmount, .subtotalTaxAmount, .lineExtensionAmount,
                .taxExclusiveAmount, .taxInclusiveAmount, .allowanceTotalAmount, .chargeTotalAmount, .prepaidAmount, .roundingAmount,
                .payableAmount, .lineQuantity, .lineAmount, .priceAmount, .baseQuantity:
                true
            default: false
            }
        }
    }

    /// The element paths (below the Invoice or CreditNote root) Sublet reads, as a tree of
    /// local names. Paths that start with `Line/` stand for both `InvoiceLine/` and `CreditNoteLine/`.
    enum PathTree {
        struct Node {
            var field: Field?
            var children: [String: Int] = [:]
        }

        static let root: Int? = 0

        static let nodes: [Node] = {
            var nodes = [Node()]
            for (path, field) in InvoiceDocumentBuilder.fields {
                var node = 0
                for name in path.split(separator: "/").map(String.init) {
                    if let child = nodes[node].children[name] {
                        node = child
                    } else {
                        nodes.append(Node())
                        nodes[node].children[name] = nodes.count - 1
                        node = nodes.count - 1
                    }
                }
                nodes[node].field = field
            }
            return nodes
        }()
    }

    static let fields: [String: Field] = {
        let table: [(String, Field)] = [
            ("ID", .number), ("IssueDate", .issueDate), ("DueDate", .dueDate), ("PaymentMeans/PaymentDueDate", .dueDate),
            ("InvoiceTypeCode", .typeCode), ("CreditNoteTypeCode", .typeCode), ("DocumentCurrencyCode", .currency),
            ("CustomizationID", .customizationID), ("ProfileID", .profileID), ("BuyerReference", .buyerReference),
            ("OrderReference/ID", .orderReference), ("ContractDocumentReference/ID", .contractReference),
            ("BillingReference/InvoiceDocumentReference/ID", .billingReference),
            ("InvoicePeriod/StartDate", .periodStart), ("InvoicePeriod/EndDate", .periodEnd),
            ("AdditionalDocumentReference", .documentReference), ("AdditionalDocumentReference/ID", .referenceID),
            ("AdditionalDocumentReference/DocumentTypeCode", .referenceType),
            ("Line/DocumentReference", .lineDocumentReference), ("Line/DocumentReference/ID", .referenceID),
            ("Line/DocumentReference/DocumentTypeCode", .referenceType),
            ("AccountingSupplierParty/Party/EndpointID", .sellerEndpoint),
            ("AccountingSupplierParty/Party/PartyIdentification", .sellerIdentification),
            ("AccountingSupplierParty/Party/PartyIdentification/ID", .sellerIdentificationID),
            ("AccountingSupplierParty/Party/PartyLegalEntity/CompanyID", .sellerLegalID),
            ("AccountingSupplierParty/Party/PartyLegalEntity/RegistrationName", .sellerRegistrationName),
            ("AccountingSupplierParty/Party/PartyName/Name", .sellerTradingName),
            ("AccountingCustomerParty/Party/PartyLegalEntity/RegistrationName", .buyerName),
            ("PaymentMeans/PaymentID", .paymentID),
            ("AllowanceCharge", .documentCharge), ("Line/AllowanceCharge", .lineCharge),
            ("AllowanceCharge/ChargeIndicator", .chargeIndicator), ("Line/AllowanceCharge/ChargeIndicator", .chargeIndicator),
            ("AllowanceCharge/Amount", .chargeAmount), ("Line/AllowanceCharge/Amount", .chargeAmount),
            ("AllowanceCharge/BaseAmount", .chargeBaseAmount), ("Line/AllowanceCharge/BaseAmount", .chargeBaseAmount),
            ("AllowanceCharge/TaxCategory/ID", .chargeTaxCategory), ("AllowanceCharge/TaxCategory/Percent", .chargeTaxPercent),
            ("TaxTotal", .taxTotal), ("TaxTotal/TaxAmount", .taxAmount), ("TaxTotal/TaxSubtotal", .taxSubtotal),
            ("TaxTotal/TaxSubtotal/TaxableAmount", .subtotalTaxableAmount), ("TaxTotal/TaxSubtotal/TaxAmount", .subtotalTaxAmount),
            ("TaxTotal/TaxSubtotal/TaxCategory/ID", .subtotalCategory), ("TaxTotal/TaxSubtotal/TaxCategory/Percent", .subtotalPercent),
            ("LegalMonetaryTotal/LineExtensionAmount", .lineExtensionAmount), ("LegalMonetaryTotal/TaxExclusiveAmount", .taxExclusiveAmount),
            ("LegalMonetaryTotal/TaxInclusiveAmount", .taxInclusiveAmount), ("LegalMonetaryTotal/AllowanceTotalAmount", .allowanceTotalAmount),
            ("LegalMonetaryTotal/ChargeTotalAmount", .chargeTotalAmount), ("LegalMonetaryTotal/PrepaidAmount", .prepaidAmount),
            ("LegalMonetaryTotal/PayableRoundingAmount", .roundingAmount), ("LegalMonetaryTotal/PayableAmount", .payableAmount),
            ("Line", .line), ("Line/ID", .lineID), ("Line/InvoicedQuantity", .lineQuantity), ("Line/CreditedQuantity", .lineQuantity),
            ("Line/LineExtensionAmount", .lineAmount), ("Line/Note", .lineNote),
            ("Line/InvoicePeriod/StartDate", .linePeriodStart), ("Line/InvoicePeriod/EndDate", .linePeriodEnd),
            ("Line/Item/Name", .itemName), ("Line/Item/SellersItemIdentification/ID", .sellersItemID),
            ("Line/Item/BuyersItemIdentification/ID", .buyersItemID),
            ("Line/Item/ClassifiedTaxCategory/ID", .lineTaxCategory), ("Line/Item/ClassifiedTaxCategory/Percent", .lineTaxPercent),
            ("Line/Price/PriceAmount", .priceAmount), ("Line/Price/BaseQuantity", .baseQuantity),
        ]
        var fields: [String: Field] = [:]
        for (path, field) in table {
            if path == "Line" || path.hasPrefix("Line/") {
                for root in ["InvoiceLine", "CreditNoteLine"] { fields[root + path.dropFirst(4)] = field }
            } else {
                fields[path] = field
            }
        }
        return fields
    }()

    /// Elements whose `currencyID` PEPPOL-EN16931-R051 checks (TaxTotal/TaxAmount is handled
    /// with its total; a TaxSubtotal's TaxAmount is not covered by the rule).
    static let amountElements: Set<String> = [
        "Amount", "BaseAmount", "PriceAmount", "TaxableAmount", "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount",
        "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount", "PayableRoundingAmount", "PayableAmount",
    ]
}
