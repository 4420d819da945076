import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct CorrectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corrections",
        abstract: "Retroactive corrections recorded by changes that reached into noticed months.",
        discussion: """
            Examples:
              sublet corrections list --period 2026-11
              sublet corrections show K-2026-000001
            """,
        subcommands: [List.self, Show.self]
    )

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List corrections.",
            discussion: """
                Examples:
                  sublet corrections list --period 2026-11
                  sublet corrections list --contract L-0001
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this contract's corrections.") var contract: String?
        @Option(help: ArgumentHelp("Only corrections recorded in this month.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let corrections = try app.database.corrections(contractNumber: contract, recordedIn: try period.value("--period"))
            if out.json {
                try out.json(corrections.map(JSONShape.CorrectionJSON.init))
                return
            }
            out.table(
                ["NUMBER", "CONTRACT", "RECORDED", "MONTHS", "NOTICES", "TOTAL", "FEE", "CHANGE"],
                corrections.map { correction in
                    let fee = correction.fee.map { $0.waived ? "waived" : $0.amount.swedish } ?? "—"
                    return [
                        correction.number ?? "", correction.contract, correction.recordedOn.description, String(correction.months.count),
                        String(correction.affectedNotices), CorrectionText.signed(correction.total), fee, correction.change,
                    ]
                }, numeric: [3, 4, 5, 6])
        }
    }

    struct Show: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one correction, month by month.",
            discussion: """
                Examples:
                  sublet corrections show K-2026-000001
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Correction number, e.g. K-2026-000001.") var number: String
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let correction = try app.database.correction(number: number)
            if out.json {
                try out.json(JSONShape.CorrectionJSON(correction))
                return
            }
            out.line("Change: \(correction.change) (recorded \(correction.recordedOn))")
            CorrectionText.render(correction, priceList: app.settings.priceList, out)
        }
    }
}
