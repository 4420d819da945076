import ArgumentParser
import Foundation
import SubletJobs
import SubletStorage

struct AuditCommand: SubletSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who changed what, when (personal numbers masked)."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only entries about this contract.") var contract: String?

    func execute(_ environment: CommandEnvironment) throws {
        let entries = try environment.openDatabase(readOnly: true).auditEntries(contractNumber: contract)
        if environment.json {
            try Output.json(entries.map(EntryJSON.init))
            return
        }
        Output.table(["WHEN", "WHO", "ACTION", "ENTITY", "DETAIL"],
                     entries.map { [$0.at, $0.actor, $0.action, [$0.entity, $0.entityKey].compactMap { $0 }.joined(separator: " "), $0.detail ?? ""] })
    }

    struct EntryJSON: Encodable {
        var at: String
        var actor: String
        var action: String
        var entity: String
        @NullWhenAbsent var key: String?
        @NullWhenAbsent var detail: String?
        @NullWhenAbsent var before: [String: String?]?
        @NullWhenAbsent var after: [String: String?]?

        init(_ entry: AuditEntry) {
            at = entry.at
            actor = entry.actor
            action = entry.action
            entity = entry.entity
            key = entry.entityKey
            detail = entry.detail
            before = entry.before.flatMap(Self.object)
            after = entry.after.flatMap(Self.object)
        }

        /// The stored snapshot, a flat JSON object of strings, as an object rather than a string.
        static func object(_ text: String) -> [String: String?]? {
            try? JSONDecoder().decode([String: String?].self, from: Data(text.utf8))
        }

        enum CodingKeys: String, CodingKey { case at, actor, action, entity, key, detail, before, after }
    }
}
