import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct ReconcileCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare the landlords' invoices with the head leases for a month.",
        discussion:
            "Per lease: ok, overbilled, underbilled, missing (no invoice once the month has begun and reconciliation.grace_days have passed), not_expected (invoiced while not active), or pending (not yet due); plus lines that matched no lease, rule failures and duplicates."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The month, YYYY-MM (default: last month).", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
    @Option(help: "Only this district's leases.") var district: Parsed<DistrictCode>?
    var access: SubletApp.DatabaseAccess { .readOnly }

    func run(_ app: SubletApp, _ out: Output) throws {
        let result = try app.reconcile(try period.value("--period"), district: try district.value("--district")?.code)
        if out.json {
            try out.json(ReconcileJSON(result))
            return
        }
        let counts = ReconciliationStatus.allCases.map { status in "\(status.rawValue) \(result.rows.filter { $0.status == status }.count)" }
        out.line("Reconciliation \(result.period): \(result.rows.count) lease(s): " + counts.joined(separator: ", "))
        out.table(
            ["STATUS", "LEASE", "DISTRICT", "LANDLORD", "OBJECT", "EXPECTED", "INVOICED", "DIFFERENCE", "INVOICES"],
            result.rows.sorted { ($0.status, $0.lease.id) < ($1.status, $1.lease.id) }.map { row in
                [
                    row.status.rawValue, row.lease.id, row.lease.district, result.landlordNames[row.lease.landlord] ?? row.lease.landlord,
                    row.lease.objectID, row.expected.swedish, row.invoiced.swedish, row.difference.swedish, row.invoices.joined(separator: " "),
                ]
            }, numeric: [5, 6, 7])
        if !result.unmatched.isEmpty {
            out.line()
            out.line("Lines that matched no lease (\(result.unmatched.count))")
            for line in result.unmatched { out.line("  \(line.invoice) line \(line.line ?? "?"): \(line.amount.swedish): \(line.reason)") }
        }
        if !result.findings.isEmpty {
            out.line()
            out.line("Findings (\(result.findings.count))")
            for finding in result.findings { out.line("  \(finding.invoice): \(finding.kind) \(finding.rule ?? ""): \(finding.message)") }
        }
    }
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
