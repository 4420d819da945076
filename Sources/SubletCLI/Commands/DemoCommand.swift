import ArgumentParser
import Foundation
import SubletApp
import SubletDemo
import SubletDomain
import SubletStorage

struct DemoCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a realistic synthetic register, run the monthly job and the export, reconcile a month of landlords' invoices, with timings.",
        discussion: """
            Creates DIR/sublet.sqlite afresh (replacing an earlier demo database there), imports N fictitious contracts \
            from a generated legacy export (about 5 % partial months, a third with charges), issues next month's notices \
            and writes the print-house export to DIR/export. Then registers fictitious landlords and head leases, \
            generates this month's PEPPOL invoice feed (DIR/invoices-<month>.xml), ingests it and writes the subscribing \
            districts' reconciliation reports to DIR/outbox. The notices name a fictitious payee. DIR is marked as the \
            demo's (.sublet-demo); a folder with other files in it is refused unless --force.

            Examples:
              sublet demo
              sublet demo --contracts 5000 --invoices 500 --dir /tmp/demo
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Number of contracts.") var contracts = 86_000
    @Option(help: "Landlords' invoices (five lines each) to ingest and reconcile (0: none).") var invoices = 10_000
    @Option(help: ArgumentHelp("Folder for the demo database and files.", valueName: "dir")) var dir = "sublet-demo"
    @Flag(help: "Use --dir even if it holds files that are not an earlier demo's.") var force = false

    func validate() throws {
        guard contracts >= 1, contracts <= 5_000_000 else { throw ValidationError("--contracts must be between 1 and 5000000") }
        guard invoices >= 0, invoices <= 30_000 else {
            throw ValidationError("--invoices must be between 0 and 30000 (a feed of about 6 KB each, under ingest.max_file_mb)")
        }
    }

    var access: SubletApp.DatabaseAccess { .none }

    func run(_ app: SubletApp, _ out: Output) throws {
        let demo = Demo(contracts: contracts, invoices: invoices, directory: dir, app: app, force: force)
        if !out.json { out.line("Sublet demo: \(contracts) contracts in \(dir)/ (today is \(app.clock.today))") }
        let report = try demo.run { phase in
            if !out.json {
                let name = phase.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                out.line("  \(name) \(String(format: "%6.2f", phase.seconds)) s  \(phase.detail)")
            }
        }
        if out.json {
            try out.json(
                DemoJSON(
                    database: report.databasePath, period: report.period.description,
                    phases: report.phases.map { DemoJSON.PhaseJSON(name: $0.name, seconds: ($0.seconds * 1000).rounded() / 1000, detail: $0.detail) }
                ))
            return
        }
        if !report.corrections.isEmpty {
            out.line()
            let rows = report.corrections.map { correction -> [String] in
                let fee: String = correction.fee.map { $0.waived ? "waived" : $0.amount.swedish } ?? "—"
                return [
                    correction.number ?? "", correction.contract, correction.change, String(correction.months.count),
                    String(correction.affectedNotices), CorrectionText.signed(correction.total), fee,
                ]
            }
            out.table(["CORRECTION", "CONTRACT", "CHANGE", "MONTHS", "NOTICES", "TOTAL", "FEE"], rows, numeric: [3, 4, 5, 6])
        }
        if let payments = report.payments { DemoPaymentsText.render(payments, out) }
        out.line()
        out.line("Try:")
        out.line("  export SUBLET_DB=\(report.databasePath)")
        out.line("  sublet notices list --period \(report.period) | head")
        if let first = report.notices?.firstNumber {
            out.line("  sublet notices show \(first)")
        }
        out.line("  sublet contract list --district RK | head")
        out.line("  sublet corrections list; sublet fees list; sublet stats")
        if let correction = report.corrections.first {
            out.line("  sublet corrections show \(correction.number ?? "")")
        }
        out.line(
            "  sublet payments unidentified | head -20; sublet debts | tail -12; sublet forfeiture list --date \(report.payments?.forfeitureDate?.description ?? "")"
        )
        out.line("  open \(dir)/export/html/\(report.notices?.firstNumber ?? "").html")
        if let month = report.reconciledPeriod,
            let district = report.reports.first(where: { $0.district != ReconciliationReports.administrationFolder })
        {
            out.line("  sublet invoices list --period \(month) | head; sublet reconcile --period \(month) --district \(district.district) | head -20")
            out.line("  open \(dir)/outbox/\(district.district)/\(month)/avstamning-\(district.district)-\(month).html")
        }
        if let config = report.portalConfig {
            out.line()
            out.line("The district portal: swift run -c release sublet-portal --config \(config)")
            out.line("opens on http://127.0.0.1:8080. Its accounts (the passwords are shown this once):")
            for user in report.portalUsers {
                out.line("  \(user.email)  \(user.password)  (\(user.district.map { "district \($0)" } ?? "administrator"))")
            }
        }
    }
}

/// The demo's payment figures: the start of the queue, debts by age, the forfeiture list.
enum DemoPaymentsText {
    static func render(_ payments: Demo.PaymentsReport, _ out: Output) {
        out.line()
        out.line("Unidentified payments (\(payments.queue.count)), the first five with their best suggestion:")
        for (payment, suggestions) in payments.queue.prefix(5) {
            let best = suggestions.first.map { "\($0.score) \($0.notice ?? $0.contract): \($0.reason)" } ?? "no suggestion"
            out.line("  \(payment.id)  \(payment.unapplied.swedish) kr  ref \(payment.reference ?? "—")  → \(best)")
        }
        var ages: [DebtAge: (count: Int, ore: Int)] = [:]
        for notice in payments.debts {
            // Aged on the day they were listed (the demo's today), as `sublet debts` would.
            let age = DebtAge(dueDate: notice.dueDate, on: payments.debtsOn ?? notice.dueDate)
            ages[age, default: (0, 0)].count += 1
            ages[age, default: (0, 0)].ore += notice.balance.ore
        }
        out.line(
            "Debts today: "
                + DebtAge.allCases.map { "\($0.rawValue) days \(ages[$0]?.count ?? 0) (\(Money(ore: ages[$0]?.ore ?? 0).swedish) kr)" }.joined(
                    separator: ", "))
        out.line(
            "Forfeiture list on \(payments.forfeitureDate?.description ?? "—"): \(payments.forfeiture.count) notices, e.g. "
                + payments.forfeiture.prefix(3).map { "\($0.notice) (\($0.district), \($0.balance.swedish) kr)" }.joined(separator: "; "))
    }
}
