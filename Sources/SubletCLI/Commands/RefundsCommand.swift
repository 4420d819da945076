import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct RefundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refunds",
        abstract: "Money owed back to tenants by corrections.",
        discussion: """
            Examples:
              sublet refunds list --period 2026-11
            """,
        subcommands: [List.self]
    )

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List refunds (amounts owed to the tenant, as positive numbers).",
            discussion: """
                Examples:
                  sublet refunds list --period 2026-11
                  sublet refunds list --contract L-0001
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this contract's refunds.") var contract: String?
        @Option(help: ArgumentHelp("Only refunds recorded by the run for this month.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let refunds = try app.database.refunds(contractNumber: contract, period: try period.value("--period"))
            if out.json {
                try out.json(
                    refunds.map {
                        RefundJSON(
                            number: $0.number, contract: $0.contract, amount: $0.amount.plain, period: $0.period.description,
                            createdOn: $0.createdOn.description, notice: $0.notice, text: $0.text)
                    })
                return
            }
            out.table(
                ["NUMBER", "CONTRACT", "PERIOD", "DATE", "AMOUNT", "NOTICE", "TEXT"],
                refunds.map {
                    [$0.number, $0.contract, $0.period.description, $0.createdOn.description, $0.amount.swedish, $0.notice ?? "—", $0.text]
                }, numeric: [4])
        }
    }
}
