extension SupplierInvoice {
    /// Checks what makes a document unreadable or unidentifiable (docs/formats.md: then the file is
    /// rejected): invoice number, issue date, seller, currency, totals, and that every amount
    /// and quantity is a number.
    public func identificationProblems() -> [DocumentProblem] {
        headerProblems() + amountProblems() + lines.flatMap(\.problems)
            + [periodStart, periodEnd, dueDate].compactMap { $0 }.filter { CalendarDate($0) == nil }.map { date in
                DocumentProblem(line: sourceLine, message: "date \(Quote.excerpt(date)) is not a date (YYYY-MM-DD)")
            }
    }

    /// What identifies the document: number, issue date, currency, seller, totals.
    private func headerProblems() -> [DocumentProblem] {
        var problems: [DocumentProblem] = []
        let name = kind == .invoice ? "Invoice" : "CreditNote"
        func missing(_ what: String) { problems.append(DocumentProblem(line: sourceLine, column: sourceColumn, message: "\(name) has no \(what)")) }
        if (number ?? "").isEmpty { missing("invoice number (cbc:ID, BT-1)") }
        if let issueDate {
            if CalendarDate(issueDate) == nil {
                problems.append(
                    DocumentProblem(
                        line: sourceLine, column: sourceColumn, message: "issue date \(Quote.excerpt(issueDate)) is not a date (YYYY-MM-DD)"))
            }
        } else {
            missing("issue date (cbc:IssueDate, BT-2)")
        }
        if (currency ?? "").isEmpty { missing("document currency (cbc:DocumentCurrencyCode, BT-5)") }
        if sellerOrganisationNumber == nil, seller.registrationName == nil, seller.endpointID == nil {
            missing("seller (cac:AccountingSupplierParty with an organisation number, BT-30)")
        }
        if payableAmount == nil { missing("amount due (cac:LegalMonetaryTotal/cbc:PayableAmount, BT-115)") }
        if taxInclusiveAmount == nil { missing("total with VAT (cbc:TaxInclusiveAmount, BT-112)") }
        if taxExclusiveAmount == nil { missing("total without VAT (cbc:TaxExclusiveAmount, BT-109)") }
        if lineExtensionAmount == nil { missing("sum of line amounts (cbc:LineExtensionAmount, BT-106)") }
        return problems
    }

    /// Every document-level amount must be a number within Sublet's bound.
    private func amountProblems() -> [DocumentProblem] {
        var amounts: [(Amount?, String)] = [
            (lineExtensionAmount, "LineExtensionAmount"), (taxExclusiveAmount, "TaxExclusiveAmount"),
            (taxInclusiveAmount, "TaxInclusiveAmount"), (allowanceTotalAmount, "AllowanceTotalAmount"),
            (chargeTotalAmount, "ChargeTotalAmount"), (prepaidAmount, "PrepaidAmount"),
            (roundingAmount, "PayableRoundingAmount"), (payableAmount, "PayableAmount"),
        ]
        for total in taxTotals {
            amounts.append((total.taxAmount, "TaxAmount"))
            for subtotal in total.subtotals { amounts += [(subtotal.taxableAmount, "TaxableAmount"), (subtotal.taxAmount, "TaxAmount")] }
        }
        for charge in allowanceCharges { amounts += [(charge.amount, "AllowanceCharge/Amount"), (charge.baseAmount, "AllowanceCharge/BaseAmount")] }
        return amounts.compactMap { amount, element in
            amount.flatMap { NumberCheck.problem($0.text, element, at: $0.position, fallback: sourceLine) }
        }
    }
}

extension SupplierInvoice.Line {
    /// A line's numbers, amount and period dates.
    var problems: [DocumentProblem] {
        var name: String { "line \(id ?? "?")" }
        var problems: [DocumentProblem?] = [
            amount.flatMap { NumberCheck.problem($0.text, "\(name) LineExtensionAmount", at: $0.position, fallback: sourceLine) },
            priceAmount.flatMap { NumberCheck.problem($0.text, "\(name) PriceAmount", at: $0.position, fallback: sourceLine) },
            quantity.flatMap { NumberCheck.problem($0, "\(name) quantity", at: quantityPosition, fallback: sourceLine) },
            baseQuantity.flatMap { NumberCheck.problem($0, "\(name) BaseQuantity", at: baseQuantityPosition, fallback: sourceLine) },
        ]
        problems += allowanceCharges.map { charge in
            charge.amount.flatMap { NumberCheck.problem($0.text, "\(name) AllowanceCharge/Amount", at: $0.position, fallback: sourceLine) }
        }
        if amount == nil { problems.append(DocumentProblem(line: sourceLine, message: "\(name) has no LineExtensionAmount (BT-131)")) }
        for date in [periodStart, periodEnd].compactMap({ $0 }) where CalendarDate(date) == nil {
            problems.append(DocumentProblem(line: sourceLine, message: "\(name) period date \(Quote.excerpt(date)) is not a date"))
        }
        return problems.compactMap { $0 }
    }
}

/// An amount or quantity must be a number, and within ±10^11: anything else makes the document
/// unreadable, located at the element that holds it.
enum NumberCheck {
    static func problem(
        _ text: String, _ element: @autoclosure () -> String, at position: SupplierInvoice.Position?, fallback: Int
    ) -> DocumentProblem? {
        let (line, column) = position.map { ($0.line, $0.column) } ?? (fallback, 0)
        guard let value = ExactDecimal(text) else {
            return DocumentProblem(line: line, column: column, message: "\(element()) \(Quote.excerpt(text)) is not a number")
        }
        guard value.magnitude <= ExactDecimal.invoiceLimit else {
            return DocumentProblem(
                line: line, column: column,
                message: "\(element()) \(Quote.excerpt(text)) is beyond ±100 000 000 000, the largest amount or quantity Sublet accepts in an invoice"
            )
        }
        return nil
    }
}
