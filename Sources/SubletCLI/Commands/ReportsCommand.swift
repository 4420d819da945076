import ArgumentParser
import SubletApp
import SubletDomain

struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "The districts' reconciliation reports.",
        discussion: """
            Examples:
              sublet reports build --period 2026-11
            """,
        subcommands: [Build.self]
    )

    struct Build: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a month's reports to paths.outbox (default: last month).",
            discussion:
                """
                For every district that subscribes in the month: outbox/<district>/<period>/avstamning-<district>-<period>.csv (';', decimal comma, UTF-8 with BOM) and .html; the administration's report of unmatched lines and findings in outbox/administration/<period>/.

                Examples:
                  sublet reports build
                  sublet reports build --period 2026-11
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM (default: last month).", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            try ReportsText.render(try app.buildReports(for: try period.value("--period")), out)
        }
    }
}

/// A month's reports, as `reports build` and the `reconciliation-reports` job print them.
enum ReportsText {
    static func render(_ written: [ReconciliationReports.Written], _ out: Output) throws {
        if out.json {
            try out.json(written.map { WrittenJSON(district: $0.district, discrepancies: $0.discrepancies, files: $0.files) })
            return
        }
        for report in written {
            out.line(
                "\(report.district): \(report.discrepancies) discrepanc\(report.discrepancies == 1 ? "y" : "ies") → \(report.files.joined(separator: ", "))"
            )
        }
        if written.count <= 1 {
            out.line("(Districts receive reports from the month they subscribe: sublet district set CODE --reconciliation on --from YYYY-MM.)")
        }
    }
}
