import ArgumentParser
import SubletApp
import SubletStorage

struct AuditCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who changed what, when (personal numbers masked).",
        discussion: """
            Examples:
              sublet audit
              sublet audit --contract L-0001 --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only entries about this contract.") var contract: String?
    var access: SubletApp.DatabaseAccess { .readOnly }

    func run(_ app: SubletApp, _ out: Output) throws {
        let entries = try app.database.auditEntries(contractNumber: contract)
        if out.json {
            try out.json(entries.map(AuditEntryJSON.init))
            return
        }
        out.table(
            ["WHEN", "WHO", "ACTION", "ENTITY", "DETAIL"],
            entries.map { [$0.at, $0.actor, $0.action, [$0.entity, $0.entityKey].compactMap { $0 }.joined(separator: " "), $0.detail ?? ""] })
    }
}
