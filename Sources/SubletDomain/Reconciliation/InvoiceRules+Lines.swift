// The rules on VAT categories, periods, line nets, currencies and decimals (`InvoiceRules`).

extension RuleCheck {
    /// BR-CO-17 and BR-S/E/O/Z-08: each VAT subtotal against its rate and its lines.
    func categories() {
        // BR-CO-17 and the category sums BR-S-08 / BR-E-08 / BR-O-08 / BR-Z-08, per VAT subtotal.
        for subtotal in invoice.taxTotals.flatMap(\.subtotals) {
            let percent = subtotal.percent.flatMap { ExactDecimal($0) }
            let taxable = value(subtotal.taxableAmount) ?? zero
            checking("BR-CO-17") { () throws(ExactDecimal.Overflow) in
                guard let tax = value(subtotal.taxAmount) else { return }
                if let percent, try percent.roundedToInteger != zero {
                    let computed = try (taxable.magnitude * percent.shifted(right: 2)).roundedToCents
                    let (low, high) = (try tax.magnitude - ExactDecimal(1), try tax.magnitude + ExactDecimal(1))
                    if !(low < computed && high > computed) {
                        fail("BR-CO-17", "category \(subtotal.category ?? "?") tax \(tax) is not \(taxable) × \(percent) % = \(computed) (±1)")
                    }
                } else if try tax.roundedToInteger != zero {
                    fail("BR-CO-17", "category \(subtotal.category ?? "?") at 0 % has tax \(tax)")
                }
            }
            let category = (subtotal.category ?? "").trimmingASCIIWhitespace()
            guard ["S", "E", "O", "Z"].contains(category) else { continue }
            func matches(_ lineCategory: String?, _ linePercent: String?) -> Bool {
                guard (lineCategory ?? "").trimmingASCIIWhitespace() == category else { return false }
                guard category == "S" else { return true }
                return linePercent.flatMap { ExactDecimal($0) } == percent
            }
            let matchingLines = invoice.lines.filter { matches($0.taxCategory, $0.taxPercent) }
            let matchingCharges = invoice.allowanceCharges.filter { matches($0.taxCategory, $0.taxPercent) }
            checking("BR-\(category)-08") { () throws(ExactDecimal.Overflow) in
                let categorySum =
                    try sum(matchingLines.compactMap { value($0.amount) })
                    + sum(matchingCharges.filter(\.isCharge).compactMap { value($0.amount) })
                    - sum(matchingCharges.filter { !$0.isCharge }.compactMap { value($0.amount) })
                if category == "S" {
                    // The official rule computes taxable ∓ 1 in floating point (the amount is
                    // untyped there) and compares with the exact sum: so does this.
                    let exists = !matchingLines.isEmpty || !matchingCharges.isEmpty
                    let written = Double(subtotal.taxableAmount?.text ?? "0") ?? 0
                    let within =
                        categorySum.compare(double: written - 1) == .doubleIsLess
                        && categorySum.compare(double: written + 1) == .doubleIsGreater
                    if !(exists && within) {
                        fail(
                            "BR-S-08",
                            "standard rate \(percent?.description ?? "?") % taxable amount \(taxable) ≠ sum of its lines and allowances/charges \(categorySum) (±1)"
                        )
                    }
                } else if invoice.lines.isEmpty || taxable != categorySum {
                    fail(
                        "BR-\(category)-08", "category \(category) taxable amount \(taxable) ≠ sum of its lines and allowances/charges \(categorySum)"
                    )
                }
            }
        }
    }

    /// BR-29, BR-30, PEPPOL-EN16931-R110 and R111: the periods.
    func periods() {
        // BR-29 / BR-30 and PEPPOL-EN16931-R110 / R111: periods.
        let documentStart = invoice.periodStart.flatMap { CalendarDate($0) }
        let documentEnd = invoice.periodEnd.flatMap { CalendarDate($0) }
        if let documentStart, let documentEnd, documentEnd < documentStart {
            fail("BR-29", "invoice period ends \(documentEnd) before it starts \(documentStart)")
        }
        for line in invoice.lines {
            let start = line.periodStart.flatMap { CalendarDate($0) }
            let end = line.periodEnd.flatMap { CalendarDate($0) }
            if let start, let end, end < start { fail("BR-30", "line period ends \(end) before it starts \(start)", line: line.id) }
            if let start, let documentStart, start < documentStart {
                fail("PEPPOL-EN16931-R110", "line period starts \(start), before the invoice period \(documentStart)", line: line.id)
            }
            if let end, let documentEnd, end > documentEnd {
                fail("PEPPOL-EN16931-R111", "line period ends \(end), after the invoice period \(documentEnd)", line: line.id)
            }
        }
    }

    /// PEPPOL-EN16931-R120: each line net against quantity × price.
    func lineNets() {
        // PEPPOL-EN16931-R120: line net = quantity × (price ÷ base quantity) + charges − allowances (±0.02).
        for line in invoice.lines {
            guard let amount = value(line.amount) else { continue }
            checking("PEPPOL-EN16931-R120", line: line.id) { () throws(ExactDecimal.Overflow) in
                let quantity = line.quantity.flatMap { ExactDecimal($0) } ?? ExactDecimal(1)
                let price = value(line.priceAmount) ?? zero
                let written = line.baseQuantity.flatMap { ExactDecimal($0) } ?? ExactDecimal(1)
                let base = written == zero ? ExactDecimal(1) : written
                let lineAllowances = try sum(line.allowanceCharges.filter { !$0.isCharge }.compactMap { value($0.amount) }).roundedToCents
                let lineCharges = try sum(line.allowanceCharges.filter(\.isCharge).compactMap { value($0.amount) }).roundedToCents
                // |q·p/b − (net − charges + allowances)| ≤ 0.02, multiplied through by |b|.
                let difference = try (quantity * price - (amount - lineCharges + lineAllowances) * base).magnitude
                if difference > (try ExactDecimal(units: 2, scale: 2) * base.magnitude) {
                    fail(
                        "PEPPOL-EN16931-R120",
                        "net amount \(amount) ≠ \(quantity) × \(price) / \(base) + charges \(lineCharges) − allowances \(lineAllowances)",
                        line: line.id)
                }
            }
        }
    }

    /// PEPPOL-EN16931-R051: every amount in the document currency.
    func currencies() {
        // PEPPOL-EN16931-R051: every amount in the document currency.
        if let currency = invoice.currency {
            for (element, other) in invoice.currencyIDs where other != currency {
                fail("PEPPOL-EN16931-R051", "\(element) is in \(other), the document in \(currency)")
            }
        }
    }

    /// BR-DEC: the decimals of the amounts, as written.
    func decimals() {
        // BR-DEC: at most two characters after the decimal point, as written (a trailing zero or
        // a space counts, as in the official rules).
        func decimals(_ amount: SupplierInvoice.Amount?, _ rule: String, line: String? = nil) {
            guard let amount, amount.writtenDecimals > 2 else { return }
            let what = InvoiceRules.decimalRules.first { $0.rule == rule }?.what ?? "amount"
            fail(rule, "\(what) \(Quote.excerpt(amount.written)) has more than two decimals", line: line)
        }
        for charge in invoice.allowanceCharges {
            decimals(charge.amount, charge.isCharge ? "BR-DEC-05" : "BR-DEC-01")
            decimals(charge.baseAmount, charge.isCharge ? "BR-DEC-06" : "BR-DEC-02")
        }
        decimals(invoice.lineExtensionAmount, "BR-DEC-09")
        decimals(invoice.allowanceTotalAmount, "BR-DEC-10")
        decimals(invoice.chargeTotalAmount, "BR-DEC-11")
        decimals(invoice.taxExclusiveAmount, "BR-DEC-12")
        decimals(invoice.taxInclusiveAmount, "BR-DEC-14")
        decimals(invoice.prepaidAmount, "BR-DEC-16")
        decimals(invoice.roundingAmount, "BR-DEC-17")
        decimals(invoice.payableAmount, "BR-DEC-18")
        for subtotal in invoice.taxTotals.flatMap(\.subtotals) {
            decimals(subtotal.taxableAmount, "BR-DEC-19")
            decimals(subtotal.taxAmount, "BR-DEC-20")
        }
        for line in invoice.lines {
            decimals(line.amount, "BR-DEC-23", line: line.id)
            for charge in line.allowanceCharges {
                decimals(charge.amount, charge.isCharge ? "BR-DEC-27" : "BR-DEC-24", line: line.id)
                decimals(charge.baseAmount, charge.isCharge ? "BR-DEC-28" : "BR-DEC-25", line: line.id)
            }
        }
    }
}
