import ArgumentParser
import Foundation
import SubletDomain
import SubletJobs
import SubletStorage

struct DemoCommand: SubletSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a realistic synthetic register, run the monthly job and the export, reconcile a month of landlords' invoices, with timings.",
        discussion: "Creates DIR/sublet.sqlite afresh (replacing an earlier demo database there), imports N fictitious contracts from a generated legacy export (about 5 % partial months, a third with charges), issues next month's notices and writes the print-house export to DIR/export. Then registers fictitious landlords and head leases, generates this month's PEPPOL invoice feed (DIR/invoices-<month>.xml), ingests it and writes the subscribing districts' reconciliation reports to DIR/outbox."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Number of contracts.") var contracts = 86_000
    @Option(help: "Landlords' invoices (five lines each) to ingest and reconcile (0: none).") var invoices = 10_000
    @Option(help: ArgumentHelp("Folder for the demo database and files.", valueName: "dir")) var dir = "sublet-demo"

    func validate() throws {
        guard contracts >= 1, contracts <= 5_000_000 else { throw ValidationError("--contracts must be between 1 and 5000000") }
        guard invoices >= 0, invoices <= 30_000 else { throw ValidationError("--invoices must be between 0 and 30000 (a feed of about 6 KB each, under ingest.max_file_mb)") }
    }

    func execute(_ environment: CommandEnvironment) throws {
        let demo = Demo(contracts: contracts, invoices: invoices, directory: dir, configuration: environment.configuration, context: environment.context)
        if !environment.json { Output.line("Sublet demo: \(contracts) contracts in \(dir)/ (today is \(environment.today))") }
        let report = try demo.run { phase in
            if !environment.json {
                let name = phase.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                Output.line("  \(name) \(String(format: "%6.2f", phase.seconds)) s  \(phase.detail)")
            }
        }
        if environment.json {
            try Output.json(DemoJSON(
                database: report.databasePath, period: report.period.description,
                phases: report.phases.map { PhaseJSON(name: $0.name, seconds: ($0.seconds * 1000).rounded() / 1000, detail: $0.detail) }
            ))
            return
        }
        if !report.corrections.isEmpty {
            Output.line()
            Output.table(["CORRECTION", "CONTRACT", "CHANGE", "MONTHS", "NOTICES", "TOTAL", "FEE"], report.corrections.map { correction in
                [correction.number ?? "", correction.contract, correction.change, String(correction.months.count), String(correction.affectedNotices),
                 CorrectionText.signed(correction.total), correction.fee.map { $0.waived ? "waived" : $0.amount.swedish } ?? "—"]
            }, numeric: [3, 4, 5, 6])
        }
        Output.line()
        Output.line("Try:")
        Output.line("  export SUBLET_DB=\(report.databasePath)")
        Output.line("  sublet notices list --period \(report.period) | head")
        if let first = report.notices?.firstNumber {
            Output.line("  sublet notices show \(first)")
        }
        Output.line("  sublet contract list --district RK | head")
        Output.line("  sublet corrections list; sublet fees list; sublet stats")
        if let correction = report.corrections.first {
            Output.line("  sublet corrections show \(correction.number ?? "")")
        }
        Output.line("  open \(dir)/export/html/\(report.notices?.firstNumber ?? "").html")
        if let month = report.reconciledPeriod, let district = report.reports.first(where: { $0.district != ReconciliationReports.administrationFolder }) {
            Output.line("  sublet invoices list --period \(month) | head; sublet reconcile --period \(month) --district \(district.district) | head -20")
            Output.line("  open \(dir)/outbox/\(district.district)/\(month)/avstamning-\(district.district)-\(month).html")
        }
    }

    struct DemoJSON: Encodable {
        var database: String
        var period: String
        var phases: [PhaseJSON]
    }

    struct PhaseJSON: Encodable {
        var name: String
        var seconds: Double
        var detail: String
    }
}
