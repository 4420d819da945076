import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct LeaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lease",
        abstract: "The districts' head leases (first-hand leases) with the landlords.",
        discussion: """
            Examples:
              sublet lease list --district SK
              sublet lease import head-leases.csv
            """,
        subcommands: [Add.self, Change.self, End.self, List.self, Import.self]
    )

    struct Add: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a head lease; prints its id.",
            discussion: """
                Examples:
                  sublet lease add --landlord 556900-1232 --object-id 0012-1102 --district SK --rent 8450 --start 2024-01-01
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "The landlord's organisation number.") var landlord: String
        @Option(help: "The landlord's object id of the apartment.") var objectId: String
        @Option(help: "District code.") var district: String
        @Option(help: "Monthly rent to the landlord.") var rent: String
        @Option(help: "First day of the lease.") var start: String
        @Option(help: "Last day (inclusive).") var end: String?
        @Option(help: "trial or training.") var kind: String?
        @Option(help: "Our id (default: the next HL-NNNNNN).") var id: String?
        @Option(help: "The head-lease contract number the landlord refers to.") var reference: String?
        @Option(help: "Address.") var address: String?

        func run(_ app: SubletApp, _ out: Output) throws {
            // The domain checks every field at once and names each problem's field; the CLI names its option.
            var values: [LeaseField: String] = [.landlord: landlord, .objectID: objectId, .district: district, .rent: rent, .startDate: start]
            for (field, value) in [(LeaseField.endDate, end), (.kind, kind), (.id, id), (.reference, reference), (.address, address)] {
                if let value { values[field] = value }
            }
            let lease = try app.addLease(values)
            if out.json { try out.json(LeaseJSON(lease, on: app.clock.today)) } else { out.line(lease.id) }
        }
    }

    struct Change: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "A new rent from a date (until the next registered change).",
            discussion: """
                Examples:
                  sublet lease change TL-0042 --rent 8600 --from 2027-01-01
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lease id.") var id: String
        @Option(help: "New monthly rent.") var rent: Parsed<Money>
        @Option(help: ArgumentHelp("First day of the new rent.", valueName: "date")) var from: Parsed<CalendarDate>

        func run(_ app: SubletApp, _ out: Output) throws {
            try change(id, .rent(try rent.value("--rent"), from: try from.value("--from")), option: "--from", app, out)
        }
    }

    struct End: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a head lease (the last day).",
            discussion: """
                Examples:
                  sublet lease end TL-0042 --date 2027-06-30
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lease id.") var id: String
        @Option(help: ArgumentHelp("Last day (inclusive).", valueName: "date")) var date: Parsed<CalendarDate>

        func run(_ app: SubletApp, _ out: Output) throws {
            try change(id, .end(try date.value("--date")), option: "--date", app, out)
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List head leases.",
            discussion: """
                Examples:
                  sublet lease list --district SK
                  sublet lease list --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this district's leases.") var district: Parsed<DistrictCode>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let leases = try app.database.leases(district: try district.value("--district")?.code)
            let today = app.clock.today
            if out.json {
                try out.json(leases.map { LeaseJSON($0, on: today) })
                return
            }
            out.table(
                ["ID", "LANDLORD", "OBJECT", "DISTRICT", "KIND", "START", "END", "RENT"],
                leases.map { lease in
                    [
                        lease.id, lease.landlord, lease.objectID, lease.district, lease.kind?.rawValue ?? "", lease.terms.start.description,
                        lease.terms.end?.description ?? "",
                        lease.terms.step(of: ContractTerms.rent, on: max(today, lease.terms.start))?.amount?.swedish ?? "",
                    ]
                }, numeric: [7])
        }
    }

    struct Import: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import head leases from CSV, all or nothing.",
            discussion:
                """
                Header with id (optional), landlord, object_id, district, rent, start_date, end_date, kind, reference, address (optional ones may be left out). See docs/formats.md.

                Examples:
                  sublet lease import head-leases.csv
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String

        func run(_ app: SubletApp, _ out: Output) throws {
            let count = try app.importLeases(file: file)
            if out.json { try out.json(LeaseImportJSON(file: file, imported: count)) } else { out.line("Imported \(count) lease(s) from \(file).") }
        }
    }
}

/// Applies a change to a lease; a change the terms cannot take names the option that gave its date.
private func change(_ id: String, _ change: TermChange, option: String, _ app: SubletApp, _ out: Output) throws {
    let lease: HeadLease
    do {
        lease = try app.changeLease(id, change)
    } catch let error as FieldError {
        throw OptionError(option: option, message: error.message)
    }
    if out.json { try out.json(LeaseJSON(lease, on: app.clock.today)) } else { out.line("Changed lease \(id): \(change.description).") }
}
