import ArgumentParser
import Foundation
import SubletDomain
import SubletJobs
import SubletStorage

struct LandlordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landlord",
        abstract: "The landlords that invoice the districts for head-lease rent.",
        subcommands: [Add.self, List.self]
    )

    struct Add: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "Register a landlord by organisation number.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Organisation number, NNNNNN-NNNN.") var organisationNumber: String
        @Option(help: "Name.") var name: String
        @Option(help: "Bankgiro number, NNN-NNNN or NNNN-NNNN.") var bankgiro: String?

        func execute(_ environment: CommandEnvironment) throws {
            let number = try parseOption("ORGNR", organisationNumber) { try OrganisationNumber(parsing: $0) }
            let landlordName = try parseOption("--name", name) { try ContractDraft.validateText($0, what: "name", maxLength: 200) }
            let giro = try bankgiro.map { text in try parseOption("--bankgiro", text) { try BankgiroNumber(parsing: $0) } }
            let landlord = Landlord(organisationNumber: number, name: landlordName, bankgiro: giro)
            try environment.openDatabase().addLandlord(landlord, context: environment.context)
            if environment.json { try Output.json(LandlordJSON(landlord)) } else { Output.line("Added landlord \(number) (\(landlordName)).") }
        }
    }

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List landlords.")
        @OptionGroup var global: GlobalOptions

        func execute(_ environment: CommandEnvironment) throws {
            let landlords = try environment.openDatabase(readOnly: true).landlords()
            if environment.json { try Output.json(landlords.map(LandlordJSON.init)); return }
            Output.table(["ORGANISATION NUMBER", "NAME", "BANKGIRO"], landlords.map { [$0.organisationNumber.description, $0.name, $0.bankgiro?.description ?? ""] })
        }
    }

    struct LandlordJSON: Encodable {
        var organisationNumber: String
        var name: String
        @NullWhenAbsent var bankgiro: String?
        init(_ landlord: Landlord) {
            organisationNumber = landlord.organisationNumber.description
            name = landlord.name
            bankgiro = landlord.bankgiro?.description
        }
        enum CodingKeys: String, CodingKey { case organisationNumber = "organisation_number", name, bankgiro }
    }
}

struct LeaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lease",
        abstract: "The districts' head leases (first-hand leases) with the landlords.",
        subcommands: [Add.self, Change.self, End.self, List.self, Import.self]
    )

    struct Add: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "Register a head lease; prints its id.")

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

        func execute(_ environment: CommandEnvironment) throws {
            var values: [LeaseField: String] = [.landlord: landlord, .objectID: objectId, .district: district, .rent: rent, .startDate: start]
            for (field, value) in [(LeaseField.endDate, end), (.kind, kind), (.id, id), (.reference, reference), (.address, address)] {
                if let value { values[field] = value }
            }
            let validated = try HeadLease.validate(LeaseInput(values)).get()
            let lease = try environment.openDatabase().addLease(validated.lease, id: validated.id, context: environment.context)
            if environment.json { try Output.json(LeaseJSON(lease, on: environment.today)) } else { Output.line(lease.id) }
        }
    }

    struct Change: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "A new rent from a date (until the next registered change).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lease id.") var id: String
        @Option(help: "New monthly rent.") var rent: String
        @Option(help: ArgumentHelp("First day of the new rent.", valueName: "date")) var from: String

        func execute(_ environment: CommandEnvironment) throws {
            let amount = try parseOption("--rent", rent) { try Money.parse($0) }
            let date = try parseOption("--from", from) { try CalendarDate.parse($0) }
            try changeLease(id: id, change: .rent(amount, from: date), option: "--from", environment: environment)
        }
    }

    struct End: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "End a head lease (the last day).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lease id.") var id: String
        @Option(help: ArgumentHelp("Last day (inclusive).", valueName: "date")) var date: String

        func execute(_ environment: CommandEnvironment) throws {
            let day = try parseOption("--date", date) { try CalendarDate.parse($0) }
            try changeLease(id: id, change: .end(day), option: "--date", environment: environment)
        }
    }

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List head leases.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this district's leases.") var district: String?

        func execute(_ environment: CommandEnvironment) throws {
            let code = try district.map { text in try parseOption("--district", text) { try ContractDraft.validateDistrictCode($0) } }
            let leases = try environment.openDatabase(readOnly: true).leases(district: code)
            if environment.json { try Output.json(leases.map { LeaseJSON($0, on: environment.today) }); return }
            Output.table(["ID", "LANDLORD", "OBJECT", "DISTRICT", "KIND", "START", "END", "RENT"], leases.map { lease in
                [lease.id, lease.landlord, lease.objectID, lease.district, lease.kind?.rawValue ?? "", lease.terms.start.description,
                 lease.terms.end?.description ?? "", lease.terms.step(of: ContractTerms.rent, on: max(environment.today, lease.terms.start))?.amount?.swedish ?? ""]
            }, numeric: [7])
        }
    }

    struct Import: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Import head leases from CSV, all or nothing.",
            discussion: "Header with id (optional), landlord, object_id, district, rent, start_date, end_date, kind, reference, address (optional ones may be left out). See docs/formats.md."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String

        func execute(_ environment: CommandEnvironment) throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputFileError(path: file, reason: FileManager.default.fileExists(atPath: file) ? "cannot be read" : "no such file")
            }
            var reader = try LeaseImportReader(bytes: [UInt8](data))
            let count = try environment.openDatabase().importLeases(from: &reader, source: URL(fileURLWithPath: file).lastPathComponent,
                                                                    context: environment.context)
            if environment.json { try Output.json(ImportJSON(file: file, imported: count)) } else { Output.line("Imported \(count) lease(s) from \(file).") }
        }
    }
}

private func changeLease(id: String, change: TermChange, option: String, environment: CommandEnvironment) throws {
    let lease: HeadLease
    do {
        lease = try environment.openDatabase().changeLease(id: id, change: change, context: environment.context)
    } catch let error as FieldError {
        throw OptionError(option: option, message: error.message)
    }
    if environment.json { try Output.json(LeaseJSON(lease, on: environment.today)) } else { Output.line("Changed lease \(id): \(change.description).") }
}

struct ImportJSON: Encodable {
    var file: String
    var imported: Int
}

struct LeaseJSON: Encodable {
    var id, landlord, objectID, district: String
    @NullWhenAbsent var kind: String?
    @NullWhenAbsent var reference: String?
    @NullWhenAbsent var address: String?
    var startDate: String
    @NullWhenAbsent var endDate: String?
    @NullWhenAbsent var rent: String?
    var rents: [JSONShape.TermStepJSON]

    init(_ lease: HeadLease, on date: CalendarDate) {
        id = lease.id
        landlord = lease.landlord
        objectID = lease.objectID
        district = lease.district
        kind = lease.kind?.rawValue
        reference = lease.reference
        address = lease.address
        startDate = lease.terms.start.description
        endDate = lease.terms.end?.description
        rent = lease.terms.step(of: ContractTerms.rent, on: max(date, lease.terms.start))?.amount?.plain
        rents = lease.terms.steps.sorted { $0.validFrom < $1.validFrom }.map {
            JSONShape.TermStepJSON(component: $0.component, validFrom: $0.validFrom.description, amount: $0.amount?.plain, vatRate: $0.vatRate)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, landlord, objectID = "object_id", district, kind, reference, address, startDate = "start_date", endDate = "end_date", rent, rents
    }
}
