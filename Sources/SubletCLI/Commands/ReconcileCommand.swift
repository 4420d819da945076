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
