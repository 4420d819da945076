import ArgumentParser
import Foundation
import SubletDomain
import SubletJobs
import SubletStorage

struct ContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "The register of sublet contracts.",
        subcommands: [Add.self, List.self, Show.self, Change.self, End.self, Import.self]
    )

    struct Add: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Set up a new sublet contract and print its number.",
            discussion: "Amounts: 7850, 7850.00, 7850,00 or '7 850,50'. Dates: YYYY-MM-DD. A charge is LABEL=AMOUNT, or LABEL=AMOUNT@VAT with VAT 6, 12 or 25 (percent included in the amount)."
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

        func execute(_ environment: CommandEnvironment) throws {
            let input = ContractInput(
                district: district, tenantName: tenant, personalNumber: personalNumber, address: address,
                objectID: objectId, start: start, end: end, rent: rent, charges: charge
            )
            let draft = try ContractDraft.validate(input, today: environment.today).get()
            let database = try environment.openDatabase()
            let contract = try database.addContract(draft, context: environment.context)
            let missed = try database.closedMonths(activeUnder: contract.terms)
            if let first = missed.first, let last = missed.last {
                // On stderr: stdout stays the number alone, for scripts.
                ErrorReporter.printNote("\(contract.number) is active in \(missed.count) month(s) already noticed (\(first == last ? "\(first)" : "\(first)–\(last)")): the next `sublet notices run` bills \(missed.count == 1 ? "it" : "them") as catch-up notices with their own due dates, no fee.")
            }
            if environment.json {
                try Output.json(JSONShape.ContractJSON(contract, on: environment.today))
            } else {
                Output.line(contract.number)
            }
        }
    }

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List contracts (personal numbers masked).")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this district's contracts.") var district: String?
        @Option(help: ArgumentHelp("Only contracts active on this date (YYYY-MM-DD).", valueName: "date")) var activeOn: String?

        func execute(_ environment: CommandEnvironment) throws {
            let date = try activeOn.map { text in try parseOption("--active-on", text) { try CalendarDate.parse($0) } }
            let code = try district.map { text in try parseOption("--district", text) { try ContractDraft.validateDistrictCode($0) } }
            let contracts = try environment.openDatabase(readOnly: true).contracts(district: code, activeOn: date)
            let day = date ?? environment.today
            if environment.json {
                try Output.json(contracts.map { JSONShape.ContractJSON($0, on: day) })
                return
            }
            Output.table(
                ["NUMBER", "DISTRICT", "TENANT", "PERSONAL NUMBER", "START", "END", "RENT"],
                contracts.map { contract in
                    let rent = contract.terms.step(of: ContractTerms.rent, on: max(day, contract.terms.start))?.amount
                    return [contract.number, contract.district, contract.tenantName, contract.personalNumber.masked,
                            contract.terms.start.description, contract.terms.end?.description ?? "", rent?.swedish ?? ""]
                },
                numeric: [6]
            )
        }
    }

    struct Show: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one contract in full, with its terms and notices.",
            discussion: "This is the one output that shows the whole personal number."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Contract number.") var number: String

        func execute(_ environment: CommandEnvironment) throws {
            let database = try environment.openDatabase(readOnly: true)
            let contract = try database.contract(number: number)
            let notices = try database.notices(contractNumber: number)
            if environment.json {
                try Output.json(ContractDetailJSON(
                    contract: JSONShape.ContractJSON(contract, on: environment.today, unmasked: true),
                    notices: notices.map(JSONShape.NoticeJSON.init)
                ))
                return
            }
            let fields: [(String, String)] = [
                ("Contract", contract.number), ("District", contract.district), ("Tenant", contract.tenantName),
                ("Personal number", contract.personalNumber.formatted + (contract.personalNumber.kind == .samordningsnummer ? " (samordningsnummer)" : "")),
                ("Address", contract.address), ("Object id", contract.objectID ?? "—"),
                ("Start", contract.terms.start.description), ("End", contract.terms.end?.description ?? "until further notice"),
                ("Entered", "\(contract.origin == .new ? "set up new" : "migrated") on \(contract.registeredOn)"),
            ]
            for (label, value) in fields { Output.line(label.padding(toLength: 17, withPad: " ", startingAt: 0) + value) }
            Output.line()
            Output.line("Terms")
            Output.table(
                ["FROM", "COMPONENT", "AMOUNT", "VAT"],
                contract.terms.steps.sorted { ($0.validFrom, $0.component) < ($1.validFrom, $1.component) }.map {
                    [$0.validFrom.description, $0.component, $0.amount?.swedish ?? "removed", $0.vatRate == 0 ? "" : "\($0.vatRate) %"]
                },
                numeric: [2]
            )
            Output.line()
            Output.line("Notices")
            Output.table(["NUMBER", "PERIOD", "KIND", "DUE", "TOTAL"],
                         notices.map { [$0.number, $0.period.description, $0.kind.rawValue, $0.dueDate.description, $0.total.swedish] },
                         numeric: [4])
        }

        struct ContractDetailJSON: Encodable {
            var contract: JSONShape.ContractJSON
            var notices: [JSONShape.NoticeJSON]
        }
    }

    struct Change: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the rent, a charge or the start date, also back in time.",
            discussion: """
                --rent/--charge/--remove-charge apply from --from until the next change already registered for \
                a later date (later steps stay); --start corrects the start date. A change that alters months \
                already noticed records a retroactive correction at once: the differences go on the contract's \
                next notice, and a correction affecting price_list.retroactive_correction.min_notices notices or \
                more bills the district a fee (--time for the time model, --no-fee --reason to waive it).
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Contract number.") var number: String
        @Option(help: "New monthly rent.") var rent: String?
        @Option(help: ArgumentHelp("Add or re-price a charge, LABEL=AMOUNT[@VAT].", valueName: "label=amount")) var charge: String?
        @Option(help: ArgumentHelp("Remove a charge.", valueName: "label")) var removeCharge: String?
        @Option(help: ArgumentHelp("The corrected start date (YYYY-MM-DD).", valueName: "date")) var start: String?
        @Option(help: ArgumentHelp("First day the change applies (YYYY-MM-DD).", valueName: "date")) var from: String?
        @OptionGroup var correction: CorrectionFlags

        func validate() throws {
            let given = [rent, charge, removeCharge, start].compactMap { $0 }.count
            guard given == 1 else { throw ValidationError("give exactly one of --rent, --charge, --remove-charge or --start") }
            if start != nil, from != nil { throw ValidationError("--start is the new date itself; leave out --from") }
            if start == nil, from == nil { throw ValidationError("--from DATE is required with --rent, --charge and --remove-charge") }
        }

        func execute(_ environment: CommandEnvironment) throws {
            let change: TermChange
            if let start {
                change = .start(try parseOption("--start", start) { try CalendarDate.parse($0) })
            } else {
                let date = try parseOption("--from", from!) { try CalendarDate.parse($0) }
                if let rent {
                    change = .rent(try parseOption("--rent", rent) { try Money.parse($0) }, from: date)
                } else if let charge {
                    change = .charge(try parseOption("--charge", charge) { try ChargeSpec.parse($0) }, from: date)
                } else {
                    change = .removeCharge(removeCharge!, from: date)
                }
            }
            try apply(change, number: number, environment: environment, option: start == nil ? "--from" : "--start", flags: correction)
        }
    }

    struct End: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "End a contract on a date (the last active day), also back in time.",
            discussion: "An end date inside months already noticed records a retroactive correction (a credit), as `contract change` does."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Contract number.") var number: String
        @Option(help: ArgumentHelp("Last active day (YYYY-MM-DD).", valueName: "date")) var date: String
        @OptionGroup var correction: CorrectionFlags

        func execute(_ environment: CommandEnvironment) throws {
            let day = try parseOption("--date", date) { try CalendarDate.parse($0) }
            try apply(.end(day), number: number, environment: environment, option: "--date", flags: correction)
        }
    }

    struct Import: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Import contracts from the legacy register's CSV export, all or nothing.",
            discussion: """
                Header row with the columns contract_number (optional), district, tenant_name, personal_number, \
                address, object_id (optional), start_date, end_date (optional), rent, charges (optional, \
                Label=amount|Label=amount). Delimiter ';' or ','; decimal comma or point; UTF-8 with or without BOM. \
                Any bad row: every bad row is listed and nothing is imported. See docs/formats.md.
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String

        func execute(_ environment: CommandEnvironment) throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                let reason = FileManager.default.fileExists(atPath: file) ? "cannot be read" : "no such file"
                throw InputFileError(path: file, reason: reason)
            }
            let database = try environment.openDatabase()
            var reader = try ContractImportReader(bytes: [UInt8](data), today: environment.today)
            let outcome = try database.importContracts(from: &reader, source: URL(fileURLWithPath: file).lastPathComponent, context: environment.context) { rows in
                Output.progress("Checked \(rows) rows…")
            }
            Output.endProgress()
            if environment.json {
                try Output.json(ImportJSON(file: file, imported: outcome.imported, first: outcome.firstNumber, last: outcome.lastNumber,
                                           catchUp: outcome.catchUp))
            } else {
                Output.line("Imported \(outcome.imported) contract(s) from \(file) (\(outcome.firstNumber ?? "")–\(outcome.lastNumber ?? "")).")
                if outcome.catchUp > 0 {
                    Output.line("\(outcome.catchUp) of them are active in months already noticed: the next `sublet notices run` bills those months as catch-up notices (own due dates, no fee); `--dry-run` shows them.")
                }
            }
        }

        struct ImportJSON: Encodable {
            var file: String
            var imported: Int
            var first: String?
            var last: String?
            var catchUp: Int
            enum CodingKeys: String, CodingKey { case file, imported, first, last, catchUp = "catch_up" }
        }
    }
}

/// How a change that reaches back is recorded: `--dry-run`, `--time`, `--no-fee --reason`.
struct CorrectionFlags: ParsableArguments {
    @Flag(help: "Show the change and the correction it would record; write nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Minutes spent on the correction (billed under the time price model).", valueName: "minutes")) var time: Int?
    @Flag(help: "Waive the district's fee for this correction (requires --reason).") var noFee = false
    @Option(help: ArgumentHelp("Why the fee is waived; kept in the audit log and the fee list.", valueName: "text")) var reason: String?

    func validate() throws {
        if noFee, (reason ?? "").trimmingASCIIWhitespace().isEmpty { throw ValidationError("--no-fee needs --reason TEXT") }
        if reason != nil, !noFee { throw ValidationError("--reason goes with --no-fee") }
        if let time, time <= 0 { throw ValidationError("--time must be a positive number of minutes") }
    }

    func options(_ configuration: SubletConfiguration) -> CorrectionOptions {
        CorrectionOptions(priceList: configuration.correctionPriceList, minutes: time,
                          waiverReason: noFee ? reason?.trimmingASCIIWhitespace() : nil, dryRun: dryRun)
    }
}

/// Applies a term change and prints the contract after it, with the correction it recorded.
private func apply(_ change: TermChange, number: String, environment: CommandEnvironment, option: String, flags: CorrectionFlags) throws {
    let result: ContractChange
    do {
        result = try environment.openDatabase(readOnly: flags.dryRun).changeContract(
            number: number, change: change, context: environment.context, basis: environment.configuration.prorationBasis,
            options: flags.options(environment.configuration)
        )
    } catch let error as FieldError {
        throw OptionError(option: option, message: error.message)
    }
    if environment.json {
        try Output.json(ChangeJSON(contract: JSONShape.ContractJSON(result.after, on: environment.today), change: change.description,
                                   correction: result.correction.map(JSONShape.CorrectionJSON.init), dryRun: result.dryRun))
        return
    }
    Output.line(result.dryRun ? "Dry run, nothing recorded: \(number): \(change.description)." : "Changed \(number): \(change.description).")
    guard let correction = result.correction else { return }
    Output.line()
    CorrectionText.print(correction, priceList: environment.configuration.correctionPriceList)
}

/// The correction as text for people.
enum CorrectionText {
    static func print(_ correction: Correction, priceList: CorrectionPriceList) {
        Output.line("Retroactive correction \(correction.number ?? "(not recorded)") for \(correction.contract): "
            + "\(correction.months.count) month(s), \(correction.affectedNotices) notice(s) back in time")
        Output.table(["PERIOD", "NOTICE", "BILLED", "CORRECT", "DIFFERENCE"],
                     correction.months.map { [$0.period.description, $0.notice ?? "—", $0.billed.swedish, $0.correct.swedish, signed($0.difference)] },
                     numeric: [2, 3, 4])
        let total = correction.total
        Output.line("Total \(signed(total)) kr: \(total.isNegative ? "credited" : "billed") on the contract's next notice "
            + "(an ended contract gets a correction notice or a refund).")
        if let fee = correction.fee {
            if let reason = fee.waiverReason {
                Output.line("Fee to \(correction.district) waived: \(reason)")
            } else {
                let how = fee.model == .time ? "time, \(fee.minutes ?? 0) min" : "fixed"
                Output.line("Fee to \(correction.district): \(fee.amount.swedish) kr (\(how)), billed in \(fee.billingPeriod).")
            }
        } else {
            Output.line("No fee: \(correction.affectedNotices) notice(s) affected; the price list bills from \(priceList.minimumNotices).")
        }
    }

    static func signed(_ amount: Money) -> String { (amount.isNegative ? "" : "+") + amount.swedish }
}

private struct ChangeJSON: Encodable {
    var contract: JSONShape.ContractJSON
    var change: String
    @NullWhenAbsent var correction: JSONShape.CorrectionJSON?
    var dryRun: Bool

    enum CodingKeys: String, CodingKey { case contract, change, correction, dryRun = "dry_run" }
}
