import ArgumentParser
import SubletApp
import SubletDomain

struct BillingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing",
        abstract: "The internal invoice basis for the city's finance system.",
        discussion: """
            Examples:
              sublet billing export --period 2026-11
            """,
        subcommands: [Export.self]
    )

    struct Export: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a month's fees as the finance system's CSV (default: last month, into paths.outbox/billing/).",
            discussion:
                """
                One row per billed fee and a total row per district; Swedish spreadsheet dialect (';', decimal comma, UTF-8 with BOM). Waived fees are left out. The same month always gives the same file.

                Examples:
                  sublet billing export
                  sublet billing export --period 2026-11 -o /tmp/billing-2026-11.csv
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The billing month (default: last month).", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        @Option(name: [.short, .long], help: ArgumentHelp("The file (default: paths.outbox/billing/billing-YYYY-MM.csv).", valueName: "file"))
        var out: String?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ output: Output) throws {
            try BillingText.render(try app.billFees(for: try period.value("--period"), to: out), output)
        }
    }
}

/// A month's billing, as `billing export` and the `billing-export` job print it.
enum BillingText {
    static func render(_ result: SubletApp.BillingResult, _ out: Output) throws {
        if out.json {
            try out.json(
                BillingJSON(
                    period: result.period.description, file: result.file, summaryFile: result.summaryFile, fees: result.fees.count,
                    total: result.total.plain))
        } else {
            out.line("Wrote \(result.fees.count) fee(s) for \(result.period), total \(result.total.swedish) kr, to \(result.file).")
            out.line("The districts' totals: \(result.summaryFile).")
        }
    }
}
