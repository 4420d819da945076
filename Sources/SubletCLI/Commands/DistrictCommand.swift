import ArgumentParser
import SubletDomain
import SubletStorage

struct DistrictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district",
        abstract: "The district offices (stadsdelsförvaltningar) that hold the head leases.",
        subcommands: [Add.self, List.self, Set.self]
    )

    struct Add: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "Add a district office.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Short code, e.g. RK (letters, digits, '-'; stored in upper case).") var code: String
        @Option(help: "Name, e.g. Rinkeby-Kista.") var name: String

        func execute(_ environment: CommandEnvironment) throws {
            let code = try parseOption("CODE", code) { try ContractDraft.validateDistrictCode($0) }
            let name = try parseOption("--name", name) { try ContractDraft.validateText($0, what: "district name", maxLength: 100) }
            let district = District(code: code, name: name)
            try environment.openDatabase().addDistrict(district, context: environment.context)
            if environment.json { try Output.json(DistrictJSON(district)) } else { Output.line("Added district \(code) (\(name)).") }
        }
    }

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List the district offices.")

        @OptionGroup var global: GlobalOptions

        func execute(_ environment: CommandEnvironment) throws {
            let database = try environment.openDatabase(readOnly: true)
            let districts = try database.districts()
            let subscriptions = try database.reconciliationSubscriptions()
            if environment.json {
                try Output.json(districts.map { DistrictJSON($0, subscriptions: subscriptions[$0.code] ?? []) })
                return
            }
            let month = environment.today.period
            Output.table(["CODE", "NAME", "RECONCILIATION"], districts.map { district in
                let history = subscriptions[district.code] ?? []
                var state = history.last { $0.from <= month }.map { $0.enabled ? "on since \($0.from)" : "off since \($0.from)" } ?? "off"
                if let next = history.first(where: { $0.from > month }) { state += ", \(next.enabled ? "on" : "off") from \(next.from)" }
                return [district.code, district.name, state]
            })
        }
    }

    struct Set: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a district to the reconciliation service from a month (or stop it).",
            discussion: "A subscribing district receives its reconciliation report for every month from YYYY-MM on."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "District code.") var code: String
        @Option(help: "on or off.") var reconciliation: Switch
        @Option(help: ArgumentHelp("The first month it applies to.", valueName: "YYYY-MM")) var from: String

        enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

        func execute(_ environment: CommandEnvironment) throws {
            let district = try parseOption("CODE", code) { try ContractDraft.validateDistrictCode($0) }
            let period = try parseOption("--from", from) { try BillingPeriod.parse($0) }
            try environment.openDatabase().setReconciliation(district: district, enabled: reconciliation == .on, from: period, context: environment.context)
            if environment.json {
                try Output.json(["district": district, "reconciliation": reconciliation.rawValue, "from": period.description])
            } else {
                Output.line("District \(district): reconciliation \(reconciliation.rawValue) from \(period).")
            }
        }
    }

    struct DistrictJSON: Encodable {
        var code: String
        var name: String
        /// The reconciliation subscription's changes, oldest first.
        var reconciliation: [SubscriptionJSON]

        init(_ district: District, subscriptions: [(from: BillingPeriod, enabled: Bool)] = []) {
            code = district.code
            name = district.name
            reconciliation = subscriptions.map { SubscriptionJSON(from: $0.from.description, enabled: $0.enabled) }
        }
    }

    struct SubscriptionJSON: Encodable {
        var from: String
        var enabled: Bool
    }
}
