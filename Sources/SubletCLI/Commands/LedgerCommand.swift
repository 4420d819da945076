import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct LedgerCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "A contract's statement: notices, payments, credit and refunds, with a running balance.",
        discussion: """
            The balance is what the tenant owes: notices add, payments and credit subtract; refunds are listed for the record.

            Examples:
              sublet ledger L-0001
              sublet ledger L-0001 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Contract number.") var contract: String
    var access: SubletApp.DatabaseAccess { .readOnly }

    func run(_ app: SubletApp, _ out: Output) throws {
        let lines = try app.ledger(contract: contract)
        if out.json {
            try out.json(lines.map(LedgerLineJSON.init))
            return
        }
        out.table(
            ["DATE", "DOCUMENT", "TEXT", "STATUS", "AMOUNT", "BALANCE"],
            lines.map {
                [
                    $0.date.description, $0.document, $0.text, $0.status?.rawValue ?? "",
                    $0.kind == .refund || $0.kind == .correction ? "" : $0.amount.swedish,
                    $0.balance.swedish,
                ]
            }, numeric: [4, 5])
    }
}
