import ArgumentParser
import Foundation
import SubletApp
import SubletDomain
import SubletStorage

struct ReconcileCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare the landlords' invoices with the head leases for a month.",
        discussion: """
            Per lease: ok, overbilled, underbilled, missing (no invoice once the month has begun and \
            reconciliation.grace_days have passed), not_expected (invoiced while not active), or pending (not yet \
            due); plus lines that matched no lease, rule failures and duplicates. --status shows only the leases in \
            those states.

            Examples:
              sublet reconcile
              sublet reconcile --period 2026-11 --district SK --status overbilled,underbilled,missing
              sublet reconcile --status missing --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The month, YYYY-MM (default: last month).", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
    @Option(help: "Only this district's leases.") var district: Parsed<DistrictCode>?
    @Option(
        help: ArgumentHelp(
            "Only leases in these states, comma-separated: \(ReconciliationStatus.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "status,…"))
    var status: String?
    var access: SubletApp.DatabaseAccess { .readOnly }

    /// The states `--status` names, or a usage error naming the one that is not a state.
    static func states(_ text: String) throws -> Set<ReconciliationStatus> {
        var states: Set<ReconciliationStatus> = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let state = ReconciliationStatus(rawValue: name) else {
                throw ValidationError(
                    "--status: \(Quote.excerpt(name)) is not a state (\(ReconciliationStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            states.insert(state)
        }
        guard !states.isEmpty else { throw ValidationError("--status needs at least one state") }
        return states
    }

    func validate() throws {
        if let status { _ = try Self.states(status) }
    }

    func run(_ app: SubletApp, _ out: Output) throws {
        var result = try app.reconcile(try period.value("--period"), district: try district.value("--district")?.code)
        if let status {
            let states = try Self.states(status)
            result.rows = result.rows.filter { states.contains($0.status) }
        }
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
