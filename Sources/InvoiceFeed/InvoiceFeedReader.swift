import Foundation
import SubletDomain

/// Reads a landlord's file: one `Invoice` or `CreditNote`, or many under any wrapper element (a
/// batch feed, a Standard Business Document envelope). Streams: each document is handed over as
/// soon as it ends, and memory stays flat for any file size.
public struct InvoiceFeedReader: Sendable {
    public let path: String
    public let displayName: String
    public let limits: FeedLimits

    public init(path: String, displayName: String? = nil, limits: FeedLimits = FeedLimits()) {
        self.path = path
        self.displayName = displayName ?? URL(fileURLWithPath: path).lastPathComponent
        self.limits = limits
    }

    /// Calls `body` with every document in file order. Throws `FeedError` on the first reason to
    /// reject the file (the caller's transaction then stores nothing), or `body`'s own error.
    /// Returns the number of documents.
    @discardableResult
    public func read(_ body: (SupplierInvoice) throws -> Void) throws -> Int {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw FeedError.unreadable(file: displayName, reason: "no such file or not readable")
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw FeedError.unreadable(file: displayName, reason: "not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limits.maximumFileBytes else {
            throw FeedError.tooLarge(file: displayName, bytes: size, limit: limits.maximumFileBytes)
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FeedError.unreadable(file: displayName, reason: "permission denied")
        }
        try refuseDocumentTypeDeclaration()
        var builder = InvoiceDocumentBuilder(file: displayName)
        var count = 0
        try XMLStream(path: path, displayName: displayName, limits: limits).read { event in
            if let document = try builder.handle(event) {
                let problems = document.identificationProblems()
                guard problems.isEmpty else { throw FeedError.unidentifiable(file: displayName, problems: problems) }
                count += 1
                guard count <= limits.maximumDocuments else {
                    throw FeedError.forbidden(file: displayName, line: document.sourceLine, column: 0, reason: "more than \(limits.maximumDocuments) documents")
                }
                try body(document)
            }
        }
        guard count > 0 else { throw FeedError.noDocuments(file: displayName, root: builder.rootDescription ?? "none") }
        return count
    }

    /// Refuses a DOCTYPE in the prolog before the parser sees it, saying exactly where (the
    /// streaming parser reports it only after reading past it). The parser refuses it too.
    private func refuseDocumentTypeDeclaration() throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let prolog = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        let bytes = [UInt8](prolog)
        let marker = Array("<!DOCTYPE".utf8)
        var line = 1, column = 1
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "?"), bytes[index + 1] != UInt8(ascii: "!") {
                return  // the root element: the prolog is over
            }
            if bytes[index...].starts(with: marker) {
                throw FeedError.forbidden(file: displayName, line: line, column: column,
                                          reason: "a DOCTYPE (document type declarations and entities are not accepted)")
            }
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    /// Every document of the file, for tests and small files.
    public func documents() throws -> [SupplierInvoice] {
        var result: [SupplierInvoice] = []
        try read { result.append($0) }
        return result
    }
}

/// Turns the element events of one file into `SupplierInvoice` values: finds each Invoice or
/// CreditNote at any depth and reads the fields Sublet uses by their path below it.
struct InvoiceDocumentBuilder {
    let file: String
    private(set) var rootDescription: String?

    private struct Frame {
        var name: String
        var inUBL: Bool
        var attributes: [String: String]
        var text = ""
    }

    /// Elements above the current document, or nil frames while outside one.
    private var outside: [String] = []
    private var frames: [Frame] = []
    private var document: SupplierInvoice?
    private var line: SupplierInvoice.Line?
    private var charge: SupplierInvoice.AllowanceCharge?
    private var taxTotal: SupplierInvoice.TaxTotal?
    private var subtotal: SupplierInvoice.TaxSubtotal?
    private var reference: (id: String?, type: String?)?
    private var identifier: (id: String?, scheme: String?)?

    init(file: String) { self.file = file }

    /// Handles one event; returns a document when one ends.
    mutating func handle(_ event: XMLEvent) throws -> SupplierInvoice? {
        switch event {
        case let .start(name, namespace, attributes, line, column):
            if rootDescription == nil { rootDescription = namespace.isEmpty ? name : "{\(namespace)}\(name)" }
            guard document != nil else {
                if namespace == UBL.svefaktura {
                    throw FeedError.unsupported(file: file, line: line, column: column,
                                                reason: "Svefaktura 1.0 (\(namespace)) is not supported; ask the landlord for PEPPOL BIS Billing 3.0")
                }
                if (name == "Invoice" && namespace == UBL.invoice) || (name == "CreditNote" && namespace == UBL.creditNote) {
                    var started = SupplierInvoice(kind: name == "Invoice" ? .invoice : .creditNote)
                    started.sourceLine = line
                    document = started
                    frames = []
                } else {
                    outside.append(name)
                }
                return nil
            }
            let inUBL = namespace == UBL.aggregate || namespace == UBL.basic
            frames.append(Frame(name: name, inUBL: inUBL && (frames.last?.inUBL ?? true), attributes: attributes))
            start(line: line)
            return nil
        case let .text(text):
            if !frames.isEmpty { frames[frames.count - 1].text += text }
            return nil
        case .end:
            guard document != nil else {
                if !outside.isEmpty { outside.removeLast() }
                return nil
            }
            guard let frame = frames.popLast() else {
                defer { document = nil }
                return document
            }
            if frame.inUBL { end(frame) }
            return nil
        }
    }

    /// The path of local names below the document root, for the open elements.
    private var path: [String] { frames.map(\.name) }

    private mutating func start(line sourceLine: Int) {
        guard frames.last?.inUBL == true else { return }
        let path = self.path
        switch path {
        case ["InvoiceLine"], ["CreditNoteLine"]:
            line = SupplierInvoice.Line()
            line?.sourceLine = sourceLine
        case ["AllowanceCharge"], ["InvoiceLine", "AllowanceCharge"], ["CreditNoteLine", "AllowanceCharge"]:
            charge = SupplierInvoice.AllowanceCharge(isCharge: false)
        case ["TaxTotal"]:
            taxTotal = SupplierInvoice.TaxTotal()
        case ["TaxTotal", "TaxSubtotal"]:
            subtotal = SupplierInvoice.TaxSubtotal()
        case ["AdditionalDocumentReference"], ["InvoiceLine", "DocumentReference"], ["CreditNoteLine", "DocumentReference"]:
            reference = (nil, nil)
        case ["AccountingSupplierParty", "Party", "PartyIdentification"]:
            identifier = (nil, nil)
        default:
            break
        }
    }

    private mutating func end(_ frame: Frame) {
        let path = self.path + [frame.name]
        let text = frame.text.trimmingASCIIWhitespace()
        let amount = SupplierInvoice.Amount(text: text, currency: frame.attributes["currencyID"])
        if Self.amountElements.contains(frame.name), let currency = frame.attributes["currencyID"] {
            document!.currencyIDs.append((frame.name, currency))
        }
        switch path {
        // Header
        case ["ID"]: document!.number = text
        case ["IssueDate"]: document!.issueDate = text
        case ["DueDate"], ["PaymentMeans", "PaymentDueDate"]: document!.dueDate = document!.dueDate ?? text
        case ["InvoiceTypeCode"], ["CreditNoteTypeCode"]: document!.typeCode = text
        case ["DocumentCurrencyCode"]: document!.currency = text
        case ["CustomizationID"]: document!.customizationID = text
        case ["ProfileID"]: document!.profileID = text
        case ["BuyerReference"]: document!.buyerReference = text
        case ["OrderReference", "ID"]: document!.orderReference = text
        case ["ContractDocumentReference", "ID"]: document!.contractReferences.append(text)
        case ["BillingReference", "InvoiceDocumentReference", "ID"]: document!.billingReferences.append(text)
        case ["InvoicePeriod", "StartDate"]: document!.periodStart = text
        case ["InvoicePeriod", "EndDate"]: document!.periodEnd = text
        case ["AdditionalDocumentReference", "ID"], ["InvoiceLine", "DocumentReference", "ID"], ["CreditNoteLine", "DocumentReference", "ID"]:
            reference?.id = text
        case ["AdditionalDocumentReference", "DocumentTypeCode"], ["InvoiceLine", "DocumentReference", "DocumentTypeCode"],
             ["CreditNoteLine", "DocumentReference", "DocumentTypeCode"]:
            reference?.type = text
        case ["AdditionalDocumentReference"]:
            if reference?.type == "130", let id = reference?.id { document!.objectReferences.append(id) }
            reference = nil
        case ["InvoiceLine", "DocumentReference"], ["CreditNoteLine", "DocumentReference"]:
            if reference?.type == "130", let id = reference?.id { line?.objectReferences.append(id) }
            reference = nil
        // Seller and buyer
        case ["AccountingSupplierParty", "Party", "EndpointID"]:
            document!.seller.endpointID = text
            document!.seller.endpointScheme = frame.attributes["schemeID"]
        case ["AccountingSupplierParty", "Party", "PartyIdentification", "ID"]:
            identifier = (text, frame.attributes["schemeID"])
        case ["AccountingSupplierParty", "Party", "PartyIdentification"]:
            if let identifier, let id = identifier.id { document!.seller.identifiers.append((id, identifier.scheme)) }
            identifier = nil
        case ["AccountingSupplierParty", "Party", "PartyLegalEntity", "CompanyID"]:
            document!.seller.legalCompanyID = text
            document!.seller.legalCompanyIDScheme = frame.attributes["schemeID"]
        case ["AccountingSupplierParty", "Party", "PartyLegalEntity", "RegistrationName"]: document!.seller.registrationName = text
        case ["AccountingSupplierParty", "Party", "PartyName", "Name"]: document!.seller.tradingName = text
        case ["AccountingCustomerParty", "Party", "PartyLegalEntity", "RegistrationName"]: document!.buyerName = text
        case ["PaymentMeans", "PaymentID"]: document!.paymentID = document!.paymentID ?? text
        // Allowances and charges (document and line)
        case ["AllowanceCharge", "ChargeIndicator"], ["InvoiceLine", "AllowanceCharge", "ChargeIndicator"],
             ["CreditNoteLine", "AllowanceCharge", "ChargeIndicator"]:
            charge?.isCharge = text == "true"
        case ["AllowanceCharge", "Amount"], ["InvoiceLine", "AllowanceCharge", "Amount"], ["CreditNoteLine", "AllowanceCharge", "Amount"]:
            charge?.amount = amount
        case ["AllowanceCharge", "BaseAmount"], ["InvoiceLine", "AllowanceCharge", "BaseAmount"], ["CreditNoteLine", "AllowanceCharge", "BaseAmount"]:
            charge?.baseAmount = amount
        case ["AllowanceCharge", "TaxCategory", "ID"]: charge?.taxCategory = text
        case ["AllowanceCharge", "TaxCategory", "Percent"]: charge?.taxPercent = text
        case ["AllowanceCharge"]:
            if let charge { document!.allowanceCharges.append(charge) }
            charge = nil
        case ["InvoiceLine", "AllowanceCharge"], ["CreditNoteLine", "AllowanceCharge"]:
            if let charge { line?.allowanceCharges.append(charge) }
            charge = nil
        // Tax
        case ["TaxTotal", "TaxAmount"]: taxTotal?.taxAmount = amount
        case ["TaxTotal", "TaxSubtotal", "TaxableAmount"]: subtotal?.taxableAmount = amount
        case ["TaxTotal", "TaxSubtotal", "TaxAmount"]: subtotal?.taxAmount = amount
        case ["TaxTotal", "TaxSubtotal", "TaxCategory", "ID"]: subtotal?.category = text
        case ["TaxTotal", "TaxSubtotal", "TaxCategory", "Percent"]: subtotal?.percent = text
        case ["TaxTotal", "TaxSubtotal"]:
            if let subtotal { taxTotal?.subtotals.append(subtotal) }
            subtotal = nil
        case ["TaxTotal"]:
            if let taxTotal {
                // PEPPOL-EN16931-R051 covers the VAT total that has subtotals (not BT-111).
                if !taxTotal.subtotals.isEmpty, let currency = taxTotal.taxAmount?.currency {
                    document!.currencyIDs.append(("TaxTotal/TaxAmount", currency))
                }
                document!.taxTotals.append(taxTotal)
            }
            taxTotal = nil
        // Totals
        case ["LegalMonetaryTotal", "LineExtensionAmount"]: document!.lineExtensionAmount = amount
        case ["LegalMonetaryTotal", "TaxExclusiveAmount"]: document!.taxExclusiveAmount = amount
        case ["LegalMonetaryTotal", "TaxInclusiveAmount"]: document!.taxInclusiveAmount = amount
        case ["LegalMonetaryTotal", "AllowanceTotalAmount"]: document!.allowanceTotalAmount = amount
        case ["LegalMonetaryTotal", "ChargeTotalAmount"]: document!.chargeTotalAmount = amount
        case ["LegalMonetaryTotal", "PrepaidAmount"]: document!.prepaidAmount = amount
        case ["LegalMonetaryTotal", "PayableRoundingAmount"]: document!.roundingAmount = amount
        case ["LegalMonetaryTotal", "PayableAmount"]: document!.payableAmount = amount
        // Lines
        case ["InvoiceLine"], ["CreditNoteLine"]:
            if let line { document!.lines.append(line) }
            line = nil
        default:
            guard path.count >= 2, path[0] == "InvoiceLine" || path[0] == "CreditNoteLine" else { break }
            endLine(Array(path.dropFirst()), text: text, amount: amount, attributes: frame.attributes)
        }
    }

    private mutating func endLine(_ path: [String], text: String, amount: SupplierInvoice.Amount, attributes: [String: String]) {
        switch path {
        case ["ID"]: line?.id = text
        case ["InvoicedQuantity"], ["CreditedQuantity"]:
            line?.quantity = text
            line?.unitCode = attributes["unitCode"]
        case ["LineExtensionAmount"]: line?.amount = amount
        case ["Note"]: line?.note = text
        case ["InvoicePeriod", "StartDate"]: line?.periodStart = text
        case ["InvoicePeriod", "EndDate"]: line?.periodEnd = text
        case ["Item", "Name"]: line?.itemName = text
        case ["Item", "SellersItemIdentification", "ID"]: line?.sellersItemID = text
        case ["Item", "BuyersItemIdentification", "ID"]: line?.buyersItemID = text
        case ["Item", "ClassifiedTaxCategory", "ID"]: line?.taxCategory = text
        case ["Item", "ClassifiedTaxCategory", "Percent"]: line?.taxPercent = text
        case ["Price", "PriceAmount"]: line?.priceAmount = amount
        case ["Price", "BaseQuantity"]: line?.baseQuantity = text
        default: break
        }
    }

    /// Elements whose `currencyID` PEPPOL-EN16931-R051 checks (TaxTotal/TaxAmount is handled
    /// with its total; a TaxSubtotal's TaxAmount is not covered by the rule).
    static let amountElements: Set<String> = [
        "Amount", "BaseAmount", "PriceAmount", "TaxableAmount", "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount",
        "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount", "PayableRoundingAmount", "PayableAmount",
    ]
}
