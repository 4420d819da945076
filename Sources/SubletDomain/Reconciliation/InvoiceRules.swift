/// A business rule an invoice breaks, by its official id (EN 16931 / PEPPOL BIS 3.0.19).
public struct RuleFailure: Sendable, Hashable, CustomStringConvertible {
    public var rule: String
    public var message: String
    /// The invoice line's `cbc:ID`, for a line rule.
    public var line: String?

    public init(rule: String, message: String, line: String? = nil) {
        self.rule = rule
        self.message = message
        self.line = line
    }

    public var description: String { "\(rule)" + (line.map { " (line \($0))" } ?? "") + ": " + message }
}

/// Re-checks an invoice's arithmetic and formats the way the official Schematron does
/// (`docs/formats.md` lists the rules and their formulas). A failure does not reject the
/// invoice: it is stored with the failures as findings.
///
/// Sums are exact (`ExactDecimal`); `round2` is XPath's `round(x * 100) div 100`, halves
/// towards positive infinity.
public enum InvoiceRules {
    /// The rule ids this checker implements; the golden test compares exactly these with the
    /// official validator's verdicts.
    public static let implemented: Set<String> = Set([
        "BR-CO-10", "BR-CO-11", "BR-CO-12", "BR-CO-13", "BR-CO-14", "BR-CO-15", "BR-CO-16", "BR-CO-17",
        "BR-S-08", "BR-E-08", "BR-O-08", "BR-Z-08", "BR-29", "BR-30",
        "PEPPOL-EN16931-R051", "PEPPOL-EN16931-R110", "PEPPOL-EN16931-R111", "PEPPOL-EN16931-R120",
    ]).union(decimalRules.map(\.rule))

    /// BR-DEC: at most two characters after the decimal point on these amounts. (BR-DEC-13, on the
    /// VAT total, is left out: the official Schematron's condition compares the amount's currency
    /// with a child element the amount never has, so it can never fail.)
    static let decimalRules: [(rule: String, what: String)] = [
        ("BR-DEC-01", "document allowance amount"), ("BR-DEC-02", "document allowance base amount"),
        ("BR-DEC-05", "document charge amount"), ("BR-DEC-06", "document charge base amount"),
        ("BR-DEC-09", "sum of line amounts"), ("BR-DEC-10", "allowance total"), ("BR-DEC-11", "charge total"),
        ("BR-DEC-12", "total without VAT"), ("BR-DEC-14", "total with VAT"),
        ("BR-DEC-16", "paid amount"), ("BR-DEC-17", "rounding amount"), ("BR-DEC-18", "amount due"),
        ("BR-DEC-19", "VAT category taxable amount"), ("BR-DEC-20", "VAT category tax amount"),
        ("BR-DEC-23", "line net amount"), ("BR-DEC-24", "line allowance amount"), ("BR-DEC-25", "line allowance base amount"),
        ("BR-DEC-27", "line charge amount"), ("BR-DEC-28", "line charge base amount"),
    ]

    public static func check(_ invoice: SupplierInvoice) -> [RuleFailure] {
        let check = RuleCheck(invoice)
        check.lineTotals()
        check.taxTotals()
        check.categories()
        check.periods()
        check.lineNets()
        check.currencies()
        check.decimals()
        return check.failures
    }
}

/// One invoice's check: the failures found so far, and what every rule uses.
final class RuleCheck {
    let invoice: SupplierInvoice
    private(set) var failures: [RuleFailure] = []
    let zero = ExactDecimal.zero

    init(_ invoice: SupplierInvoice) { self.invoice = invoice }

    func fail(_ rule: String, _ message: String, line: String? = nil) {
        failures.append(RuleFailure(rule: rule, message: message, line: line))
    }

    /// Runs one rule's arithmetic; numbers too large to compute exactly fail the rule with a
    /// message instead of trapping (invoice numbers are bounded at ingest, so this takes many
    /// decimals times many decimals).
    func checking(_ rule: String, line: String? = nil, _ body: () throws(ExactDecimal.Overflow) -> Void) {
        do { try body() } catch { fail(rule, "the amounts are too large or too precise to re-check exactly", line: line) }
    }

    func value(_ amount: SupplierInvoice.Amount?) -> ExactDecimal? { amount?.value }

    func sum(_ values: [ExactDecimal]) throws(ExactDecimal.Overflow) -> ExactDecimal {
        var total = ExactDecimal.zero
        for value in values { total = try total + value }
        return total
    }
}

extension RuleCheck {
    /// BR-CO-10 to BR-CO-13: the document totals against the lines, allowances and charges.
    func lineTotals() {
        // BR-CO-10: sum of line net amounts.
        checking("BR-CO-10") { () throws(ExactDecimal.Overflow) in
            let lineSum = try sum(invoice.lines.compactMap { value($0.amount) })
            if let total = value(invoice.lineExtensionAmount), case let rounded = try lineSum.roundedToCents, total != rounded {
                fail("BR-CO-10", "LineExtensionAmount \(total) ≠ \(rounded), the sum of line amounts \(lineSum) in cents")
            }
        }

        // BR-CO-11 / BR-CO-12: allowance and charge totals.
        let allowances = invoice.allowanceCharges.filter { !$0.isCharge }
        let charges = invoice.allowanceCharges.filter(\.isCharge)
        checking("BR-CO-11") { () throws(ExactDecimal.Overflow) in
            let allowanceSum = try sum(allowances.compactMap { value($0.amount) })
            if let total = value(invoice.allowanceTotalAmount) {
                if case let rounded = try allowanceSum.roundedToCents, total != rounded {
                    fail("BR-CO-11", "AllowanceTotalAmount \(total) ≠ \(rounded), the sum of allowances \(allowanceSum) in cents")
                }
            } else if !allowances.isEmpty {
                fail("BR-CO-11", "document allowances without AllowanceTotalAmount")
            }
        }
        checking("BR-CO-12") { () throws(ExactDecimal.Overflow) in
            let chargeSum = try sum(charges.compactMap { value($0.amount) })
            if let total = value(invoice.chargeTotalAmount) {
                if case let rounded = try chargeSum.roundedToCents, total != rounded {
                    fail("BR-CO-12", "ChargeTotalAmount \(total) ≠ \(rounded), the sum of charges \(chargeSum) in cents")
                }
            } else if !charges.isEmpty {
                fail("BR-CO-12", "document charges without ChargeTotalAmount")
            }
        }

        // BR-CO-13: total without VAT = lines − allowances + charges.
        checking("BR-CO-13") { () throws(ExactDecimal.Overflow) in
            guard let exclusive = value(invoice.taxExclusiveAmount), let lines = value(invoice.lineExtensionAmount) else { return }
            let expected = try lines + (value(invoice.chargeTotalAmount) ?? zero) - (value(invoice.allowanceTotalAmount) ?? zero)
            let bothAbsent = invoice.chargeTotalAmount == nil && invoice.allowanceTotalAmount == nil
            let compared = bothAbsent ? expected : try expected.roundedToCents
            if exclusive != compared {
                fail("BR-CO-13", "TaxExclusiveAmount \(exclusive) ≠ \(compared), the line total − allowances + charges")
            }
        }
    }

    /// BR-CO-14 to BR-CO-16: the VAT totals, the total with VAT and the amount due.
    func taxTotals() {
        // BR-CO-14: each tax total with subtotals equals their sum.
        for total in invoice.taxTotals where !total.subtotals.isEmpty {
            checking("BR-CO-14") { () throws(ExactDecimal.Overflow) in
                let subtotalSum = try sum(total.subtotals.compactMap { value($0.taxAmount) })
                if let amount = value(total.taxAmount), case let rounded = try subtotalSum.roundedToCents, amount != rounded {
                    fail("BR-CO-14", "TaxTotal/TaxAmount \(amount) ≠ \(rounded), the sum of subtotal tax amounts \(subtotalSum) in cents")
                }
            }
        }

        // BR-CO-15: total with VAT = total without VAT + the VAT total in the document currency.
        let documentTaxAmounts = invoice.taxTotals.compactMap(\.taxAmount).filter { $0.currency == invoice.currency }
        checking("BR-CO-15") { () throws(ExactDecimal.Overflow) in
            guard let inclusive = value(invoice.taxInclusiveAmount), let exclusive = value(invoice.taxExclusiveAmount) else { return }
            if documentTaxAmounts.count != 1 {
                fail("BR-CO-15", "\(documentTaxAmounts.count) VAT totals in the document currency; exactly one is required")
            } else if let tax = documentTaxAmounts[0].value, case let rounded = try (exclusive + tax).roundedToCents, inclusive != rounded {
                fail("BR-CO-15", "TaxInclusiveAmount \(inclusive) ≠ \(rounded), TaxExclusiveAmount \(exclusive) + VAT \(tax) in cents")
            }
        }

        // BR-CO-16: amount due = total with VAT − paid + rounding.
        checking("BR-CO-16") { () throws(ExactDecimal.Overflow) in
            guard let payable = value(invoice.payableAmount), let inclusive = value(invoice.taxInclusiveAmount) else { return }
            let prepaid = value(invoice.prepaidAmount)
            let rounding = value(invoice.roundingAmount)
            let left = try rounding.map { (value) throws(ExactDecimal.Overflow) in try (payable - value).roundedToCents } ?? payable
            let right = try prepaid.map { (value) throws(ExactDecimal.Overflow) in try (inclusive - value).roundedToCents } ?? inclusive
            if left != right {
                fail(
                    "BR-CO-16",
                    "PayableAmount \(payable) − rounding \(rounding?.description ?? "0") = \(left) ≠ \(right) = TaxInclusiveAmount \(inclusive) − PrepaidAmount \(prepaid?.description ?? "0")"
                )
            }
        }
    }
}
