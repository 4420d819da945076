import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct DistrictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district",
        abstract: "The district offices (stadsdelsförvaltningar) that hold the head leases.",
        discussion: """
            Examples:
              sublet district list
              sublet district add RK --name Rinkeby-Kista
            """,
        subcommands: [Add.self, List.self, Set.self]
    )

    struct Add: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a district office.",
            discussion: """
                Examples:
                  sublet district add RK --name Rinkeby-Kista
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Short code, e.g. RK (letters, digits, '-'; stored in upper case).") var code: Parsed<DistrictCode>
        @Option(help: "Name, e.g. Rinkeby-Kista.") var name: Parsed<DistrictName>

        func run(_ app: SubletApp, _ out: Output) throws {
            let district = District(code: try code.value("CODE").code, name: try name.value("--name").text)
            try app.addDistrict(district)
            if out.json { try out.json(DistrictJSON(district)) } else { out.line("Added district \(district.code) (\(district.name)).") }
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the district offices.",
            discussion: """
                Examples:
                  sublet district list
                  sublet district list --json
                """)

        @OptionGroup var global: GlobalOptions
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let districts = try app.database.districts()
            let subscriptions = try app.database.reconciliationSubscriptions()
            if out.json {
                try out.json(districts.map { DistrictJSON($0, subscriptions: subscriptions[$0.code] ?? []) })
                return
            }
            let month = app.clock.thisMonth
            out.table(
                ["CODE", "NAME", "RECONCILIATION"],
                districts.map { district in
                    let history = subscriptions[district.code] ?? []
                    var state = history.last { $0.from <= month }.map { $0.enabled ? "on since \($0.from)" : "off since \($0.from)" } ?? "off"
                    if let next = history.first(where: { $0.from > month }) { state += ", \(next.enabled ? "on" : "off") from \(next.from)" }
                    return [district.code, district.name, state]
                })
        }
    }

    struct Set: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a district to the reconciliation service from a month (or stop it).",
            discussion: """
                A subscribing district receives its reconciliation report for every month from YYYY-MM on.

                Examples:
                  sublet district set SK --reconciliation on --from 2027-01
                  sublet district set SK --reconciliation off --from 2027-07
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "District code.") var code: Parsed<DistrictCode>
        @Option(help: "on or off.") var reconciliation: Switch
        @Option(help: ArgumentHelp("The first month it applies to.", valueName: "YYYY-MM")) var from: Parsed<BillingPeriod>

        enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

        func run(_ app: SubletApp, _ out: Output) throws {
            let district = try code.value("CODE").code
            let period = try from.value("--from")
            try app.setReconciliation(district: district, enabled: reconciliation == .on, from: period)
            if out.json {
                try out.json(["district": district, "reconciliation": reconciliation.rawValue, "from": period.description])
            } else {
                out.line("District \(district): reconciliation \(reconciliation.rawValue) from \(period).")
            }
        }
    }
}
