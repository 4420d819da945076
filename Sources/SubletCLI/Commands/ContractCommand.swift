import ArgumentParser
import Foundation
import SubletApp
import SubletDomain
import SubletStorage

struct ContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "The register of sublet contracts.",
        discussion: """
            Examples:
              sublet contract list --district RK
              sublet contract show L-0001
              sublet contract change L-0001 --rent 8100 --from 2027-01-01
            """,
        subcommands: [Add.self, List.self, Show.self, Change.self, End.self, Import.self]
    )

    struct Add: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set up a new sublet contract and print its number.",
            discussion:
                """
                Amounts: 7850, 7850.00, 7850,00 or '7 850,50'. Dates: YYYY-MM-DD. A charge is LABEL=AMOUNT, or LABEL=AMOUNT@VAT with VAT 6, 12 or 25 (percent included in the amount).

                Examples:
                  sublet contract add --district RK --tenant \"Anna Andersson\" --personal-number 19850312-1231 --address \"Kistagången 2, lgh 1102, 164 40 Stockholm\" --rent 7850 --start 2026-12-01
                  sublet contract add --district SM --tenant \"Bo Ek\" --personal-number 850312-1231 --address \"Götgatan 1\" --rent 6000 --start 2027-01-01 --charge Parkering=450 --charge Garage=1200@25
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: "District code.") var district: String
        @Option(help: "Tenant's full name.") var tenant: String
        @Option(help: "Personnummer or samordningsnummer (YYYYMMDD-NNNN).") var personalNumber: String
        @Option(help: "Apartment address.") var address: String
        @Option(help: "Monthly rent.") var rent: String
        @Option(help: "First day of the contract.") var start: String
        @Option(help: "Last day of the contract (inclusive), for a fixed term.") var end: String?
        @Option(help: ArgumentHelp("A monthly charge, LABEL=AMOUNT[@VAT]; repeat for several.", valueName: "label=amount"))
        var charge: [String] = []
        @Option(help: "The landlord's object id of the apartment.") var objectId: String?

        func run(_ app: SubletApp, _ out: Output) throws {
            // The domain checks every field at once and names each problem's field; the CLI names its option.
            let input = ContractInput(
                district: district, tenantName: tenant, personalNumber: personalNumber, address: address,
                objectID: objectId, start: start, end: end, rent: rent, charges: charge)
            let (contract, missed) = try app.addContract(input)
            if let first = missed.first, let last = missed.last {
                // On stderr: stdout stays the number alone, for scripts.
                out.note(
                    "\(contract.number) is active in \(missed.count) month(s) already noticed (\(first == last ? "\(first)" : "\(first)–\(last)")): the next `sublet notices run` bills \(missed.count == 1 ? "it" : "them") as catch-up notices with their own due dates, no fee."
                )
            }
            if out.json { try out.json(JSONShape.ContractJSON(contract, on: app.clock.today)) } else { out.line(contract.number) }
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List contracts (personal numbers masked).",
            discussion: """
                Examples:
                  sublet contract list --district RK
                  sublet contract list --active-on 2027-01-01 --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this district's contracts.") var district: Parsed<DistrictCode>?
        @Option(help: ArgumentHelp("Only contracts active on this date (YYYY-MM-DD).", valueName: "date")) var activeOn: Parsed<CalendarDate>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let date = try activeOn.value("--active-on")
            let contracts = try app.database.contracts(district: try district.value("--district")?.code, activeOn: date)
            let day = date ?? app.clock.today
            if out.json {
                try out.json(contracts.map { JSONShape.ContractJSON($0, on: day) })
                return
            }
            out.table(
                ["NUMBER", "DISTRICT", "TENANT", "PERSONAL NUMBER", "START", "END", "RENT"],
                contracts.map { contract in
                    let rent = contract.terms.step(of: ContractTerms.rent, on: max(day, contract.terms.start))?.amount
                    return [
                        contract.number, contract.district, contract.tenantName, contract.personalNumber.masked,
                        contract.terms.start.description, contract.terms.end?.description ?? "", rent?.swedish ?? "",
                    ]
                },
                numeric: [6]
            )
        }
    }

    struct Show: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one contract in full, with its terms and notices.",
            discussion: """
                This is the one output that shows the whole personal number.

                Examples:
                  sublet contract show L-0001
                  sublet contract show L-0001 --json
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Contract number.") var number: String
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let contract = try app.database.contract(number: number)
            let notices = try app.database.notices(contractNumber: number)
            if out.json {
                try out.json(
                    ContractDetailJSON(
                        contract: JSONShape.ContractJSON(contract, on: app.clock.today, unmasked: true),
                        notices: notices.map(JSONShape.NoticeJSON.init)))
                return
            }
            let fields: [(String, String)] = [
                ("Contract", contract.number), ("District", contract.district), ("Tenant", contract.tenantName),
                (
                    "Personal number",
                    contract.personalNumber.formatted + (contract.personalNumber.kind == .samordningsnummer ? " (samordningsnummer)" : "")
                ),
                ("Address", contract.address), ("Object id", contract.objectID ?? "—"),
                ("Start", contract.terms.start.description), ("End", contract.terms.end?.description ?? "until further notice"),
                ("Entered", "\(contract.origin == .new ? "set up new" : "migrated") on \(contract.registeredOn)"),
            ]
            for (label, value) in fields { out.line(label.padding(toLength: 17, withPad: " ", startingAt: 0) + value) }
            out.line()
            out.line("Terms")
            out.table(
                ["FROM", "COMPONENT", "AMOUNT", "VAT"],
                contract.terms.steps.sorted { ($0.validFrom, $0.component) < ($1.validFrom, $1.component) }.map {
                    [$0.validFrom.description, $0.component, $0.amount?.swedish ?? "removed", $0.vatRate == 0 ? "" : "\($0.vatRate) %"]
                },
                numeric: [2]
            )
            out.line()
            out.line("Notices")
            out.table(
                ["NUMBER", "PERIOD", "KIND", "DUE", "TOTAL"],
                notices.map { [$0.number, $0.period.description, $0.kind.rawValue, $0.dueDate.description, $0.total.swedish] },
                numeric: [4])
        }
    }

    struct Change: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the rent, a charge or the start date, also back in time.",
            discussion: """
                --rent/--charge/--remove-charge apply from --from until the next change already registered for \
                a later date (later steps stay); --start corrects the start date. A change that alters months \
                already noticed records a retroactive correction at once: the differences go on the contract's \
                next notice, and a correction affecting price_list.retroactive_correction.min_notices notices or \
                more bills the district a fee (--time for the time model, --no-fee --reason to waive it).

                Examples:
                  sublet contract change L-0001 --rent 8100 --from 2027-01-01
                  sublet contract change L-0001 --charge Parkering=500 --from 2026-11-01 -n
                  sublet contract change L-0001 --remove-charge Garage --from 2027-02-01 --no-fee --reason \"the district's error\"
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Contract number.") var number: String
        @Option(help: "New monthly rent.") var rent: Parsed<Money>?
        @Option(help: ArgumentHelp("Add or re-price a charge, LABEL=AMOUNT[@VAT].", valueName: "label=amount")) var charge: Parsed<ChargeSpec>?
        @Option(help: ArgumentHelp("Remove a charge.", valueName: "label")) var removeCharge: String?
        @Option(help: ArgumentHelp("The corrected start date (YYYY-MM-DD).", valueName: "date")) var start: Parsed<CalendarDate>?
        @Option(help: ArgumentHelp("First day the change applies (YYYY-MM-DD).", valueName: "date")) var from: Parsed<CalendarDate>?
        @OptionGroup var correction: CorrectionFlags
        var access: SubletApp.DatabaseAccess { correction.dryRun ? .readOnly : .readWrite }

        func validate() throws {
            let given = [rent?.text, charge?.text, removeCharge, start?.text].compactMap { $0 }.count
            guard given == 1 else { throw ValidationError("give exactly one of --rent, --charge, --remove-charge or --start") }
            if start != nil, from != nil { throw ValidationError("--start is the new date itself; leave out --from") }
            if start == nil, from == nil { throw ValidationError("--from DATE is required with --rent, --charge and --remove-charge") }
        }

        func run(_ app: SubletApp, _ out: Output) throws {
            if let start = try start.value("--start") {
                return try apply(.start(start), to: number, app, out, option: "--start", flags: correction)
            }
            guard let date = try from.value("--from") else { throw ValidationError("--from DATE is required") }
            let change: TermChange =
                if let rent = try rent.value("--rent") {
                    .rent(rent, from: date)
                } else if let charge = try charge.value("--charge") {
                    .charge(charge, from: date)
                } else {
                    .removeCharge(removeCharge ?? "", from: date)
                }
            try apply(change, to: number, app, out, option: "--from", flags: correction)
        }
    }

    struct End: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a contract on a date (the last active day), also back in time.",
            discussion: """
                An end date inside months already noticed records a retroactive correction (a credit), as `contract change` does.

                Examples:
                  sublet contract end L-0001 --date 2027-03-31
                  sublet contract end L-0002 --date 2026-10-31 --time 45
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Contract number.") var number: String
        @Option(help: ArgumentHelp("Last active day (YYYY-MM-DD).", valueName: "date")) var date: Parsed<CalendarDate>
        @OptionGroup var correction: CorrectionFlags
        var access: SubletApp.DatabaseAccess { correction.dryRun ? .readOnly : .readWrite }

        func run(_ app: SubletApp, _ out: Output) throws {
            try apply(.end(try date.value("--date")), to: number, app, out, option: "--date", flags: correction)
        }
    }

    struct Import: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import contracts from the legacy register's CSV export, all or nothing.",
            discussion: """
                Header row with the columns contract_number (optional), district, tenant_name, personal_number, \
                address, object_id (optional), start_date, end_date (optional), rent, charges (optional, \
                Label=amount|Label=amount). Delimiter ';' or ','; decimal comma or point; UTF-8 with or without BOM. \
                Any bad row: every bad row is listed and nothing is imported. See docs/formats.md.

                Examples:
                  sublet contract import legacy-export.csv
                  sublet contract import legacy-export.csv --json
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String

        func run(_ app: SubletApp, _ out: Output) throws {
            let outcome = try app.importContracts(file: file) { rows in out.progress("Checked \(rows) rows…") }
            out.endProgress()
            if out.json {
                try out.json(
                    ContractImportJSON(
                        file: file, imported: outcome.imported, first: outcome.firstNumber, last: outcome.lastNumber,
                        catchUp: outcome.catchUp))
            } else {
                out.line("Imported \(outcome.imported) contract(s) from \(file) (\(outcome.firstNumber ?? "")–\(outcome.lastNumber ?? "")).")
                if outcome.catchUp > 0 {
                    out.line(
                        "\(outcome.catchUp) of them are active in months already noticed: the next `sublet notices run` bills those months as catch-up notices (own due dates, no fee); `--dry-run` shows them."
                    )
                }
            }
        }
    }
}

/// How a change that reaches back is recorded: `--dry-run`, `--time`, `--no-fee --reason`.
struct CorrectionFlags: ParsableArguments {
    @Flag(name: [.customShort("n"), .long], help: "Show the change and the correction it would record; write nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Minutes spent on the correction (billed under the time price model).", valueName: "minutes")) var time: Int?
    @Flag(help: "Waive the district's fee for this correction (requires --reason).") var noFee = false
    @Option(help: ArgumentHelp("Why the fee is waived; kept in the audit log and the fee list.", valueName: "text")) var reason: String?

    func validate() throws {
        if noFee, (reason ?? "").trimmingASCIIWhitespace().isEmpty { throw ValidationError("--no-fee needs --reason TEXT") }
        if reason != nil, !noFee { throw ValidationError("--reason goes with --no-fee") }
        if let time, time <= 0 { throw ValidationError("--time must be a positive number of minutes") }
    }
}

/// Applies a term change and prints the contract after it, with the correction it recorded.
/// A change the terms cannot take names the option that gave its date.
private func apply(_ change: TermChange, to number: String, _ app: SubletApp, _ out: Output, option: String, flags: CorrectionFlags) throws {
    let result: ContractChange
    do {
        result = try app.changeContract(
            number, change, minutes: flags.time, waiverReason: flags.noFee ? flags.reason?.trimmingASCIIWhitespace() : nil,
            dryRun: flags.dryRun)
    } catch let error as FieldError {
        throw OptionError(option: option, message: error.message)
    }
    if out.json {
        try out.json(
            ChangeJSON(
                contract: JSONShape.ContractJSON(result.after, on: app.clock.today), change: change.description,
                correction: result.correction.map(JSONShape.CorrectionJSON.init), dryRun: result.dryRun))
        return
    }
    out.line(result.dryRun ? "Dry run, nothing recorded: \(number): \(change.description)." : "Changed \(number): \(change.description).")
    guard let correction = result.correction else { return }
    out.line()
    CorrectionText.render(correction, priceList: app.settings.priceList, out)
}
