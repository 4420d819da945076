import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct LandlordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landlord",
        abstract: "The landlords that invoice the districts for head-lease rent.",
        discussion: """
            Examples:
              sublet landlord list
            """,
        subcommands: [Add.self, List.self]
    )

    struct Add: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a landlord by organisation number.",
            discussion: """
                Examples:
                  sublet landlord add 556900-1232 --name \"Exempelbostäder AB\" --bankgiro 5599-0006
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Organisation number, NNNNNN-NNNN.") var organisationNumber: Parsed<OrganisationNumber>
        @Option(help: "Name.") var name: Parsed<Name>
        @Option(help: "Bankgiro number, NNN-NNNN or NNNN-NNNN.") var bankgiro: Parsed<BankgiroNumber>?

        func run(_ app: SubletApp, _ out: Output) throws {
            let landlord = Landlord(
                organisationNumber: try organisationNumber.value("ORGNR"), name: try name.value("--name").text,
                bankgiro: try bankgiro.value("--bankgiro"))
            try app.addLandlord(landlord)
            if out.json {
                try out.json(LandlordJSON(landlord))
            } else {
                out.line("Added landlord \(landlord.organisationNumber) (\(landlord.name)).")
            }
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List landlords.",
            discussion: """
                Examples:
                  sublet landlord list
                """)
        @OptionGroup var global: GlobalOptions
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let landlords = try app.database.landlords()
            if out.json {
                try out.json(landlords.map(LandlordJSON.init))
                return
            }
            out.table(
                ["ORGANISATION NUMBER", "NAME", "BANKGIRO"],
                landlords.map { [$0.organisationNumber.description, $0.name, $0.bankgiro?.description ?? ""] })
        }
    }
}
