import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct FeesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fees",
        abstract: "The districts' fees for retroactive corrections (the price list).",
        discussion: """
            Examples:
              sublet fees list --period 2026-11
            """,
        subcommands: [List.self]
    )

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List fees, waived ones with their reason.",
            discussion: """
                Examples:
                  sublet fees list --period 2026-11
                  sublet fees list --district RK --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only fees of this billing month.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        @Option(help: "Only this district's fees.") var district: Parsed<DistrictCode>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let fees = try app.database.fees(period: try period.value("--period"), district: try district.value("--district")?.code)
            if out.json {
                try out.json(fees.map(FeeEntryJSON.init))
                return
            }
            out.table(
                ["PERIOD", "DISTRICT", "CORRECTION", "CONTRACT", "RECORDED", "NOTICES", "AMOUNT", "STATUS"],
                fees.map {
                    [
                        $0.billingPeriod.description, $0.district, $0.correction, $0.contract, $0.recordedOn.description, String($0.affectedNotices),
                        $0.amount.swedish,
                        $0.waiverReason.map { "waived: \($0)" } ?? ($0.model == .time ? "billed (\($0.minutes ?? 0) min)" : "billed"),
                    ]
                }, numeric: [5, 6])
        }
    }
}
