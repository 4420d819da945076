import SubletApp
import SubletDomain
import SubletStorage

// The JSON of billing, fees, refunds and reconciliation (docs/cli.md).

struct BillingJSON: Encodable {
    var period, file: String
    var summaryFile: String
    var fees: Int
    var total: String

    enum CodingKeys: String, CodingKey {
        case period, file, fees, total
        case summaryFile = "summary_file"
    }
}

struct FeeEntryJSON: Encodable {
    var correction, contract, district, billingPeriod, recordedOn, amount, model: String
    @NullWhenAbsent var minutes: Int?
    var affectedNotices: Int
    var waived: Bool
    @NullWhenAbsent var reason: String?

    init(_ fee: FeeEntry) {
        correction = fee.correction
        contract = fee.contract
        district = fee.district
        billingPeriod = fee.billingPeriod.description
        recordedOn = fee.recordedOn.description
        amount = fee.amount.plain
        model = fee.model.rawValue
        minutes = fee.minutes
        affectedNotices = fee.affectedNotices
        waived = fee.waiverReason != nil
        reason = fee.waiverReason
    }

    enum CodingKeys: String, CodingKey {
        case correction, contract, district
        case billingPeriod = "billing_period"
        case recordedOn = "recorded_on"
        case amount, model, minutes
        case affectedNotices = "affected_notices"
        case waived, reason
    }
}

struct RefundJSON: Encodable {
    var number, contract, amount, period, createdOn: String
    @NullWhenAbsent var notice: String?
    var text: String
    enum CodingKeys: String, CodingKey {
        case number, contract, amount, period
        case createdOn = "created_on"
        case notice, text
    }
}

/// One district's report files (`district` is `administration` for the administration's own).
struct WrittenJSON: Encodable {
    var district: String
    var discrepancies: Int
    var files: [String]
}

/// `reconcile --json` (docs/cli.md).
struct ReconcileJSON: Encodable {
    var period: String
    var leases: [Row]
    var unmatchedLines: [Unmatched]
    var findings: [Finding]

    init(_ result: Reconciliation) {
        period = result.period.description
        leases = result.rows.map {
            Row(
                status: $0.status.rawValue, lease: $0.lease.id, district: $0.lease.district, landlord: $0.lease.landlord, objectID: $0.lease.objectID,
                expected: $0.expected.plain, invoiced: $0.invoiced.plain, difference: $0.difference.plain, invoices: $0.invoices, notes: $0.notes)
        }
        unmatchedLines = result.unmatched.map {
            Unmatched(invoice: $0.invoice, seller: $0.seller, line: $0.line, amount: $0.amount.plain, reason: $0.reason)
        }
        findings = result.findings.map { Finding(invoice: $0.invoice, kind: $0.kind, rule: $0.rule, line: $0.line, message: $0.message) }
    }

    enum CodingKeys: String, CodingKey {
        case period, leases
        case unmatchedLines = "unmatched_lines"
        case findings
    }

    struct Row: Encodable {
        var status, lease, district, landlord, objectID, expected, invoiced, difference: String
        var invoices, notes: [String]
        enum CodingKeys: String, CodingKey {
            case status, lease, district, landlord
            case objectID = "object_id"
            case expected, invoiced, difference, invoices, notes
        }
    }

    struct Unmatched: Encodable {
        var invoice: String
        @NullWhenAbsent var seller: String?
        @NullWhenAbsent var line: String?
        var amount, reason: String
        enum CodingKeys: String, CodingKey { case invoice, seller, line, amount, reason }
    }

    struct Finding: Encodable {
        var invoice, kind: String
        @NullWhenAbsent var rule: String?
        @NullWhenAbsent var line: String?
        var message: String
        enum CodingKeys: String, CodingKey { case invoice, kind, rule, line, message }
    }
}
