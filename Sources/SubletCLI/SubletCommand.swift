import ArgumentParser
import SubletJobs

/// `sublet`: the administrators' command line for the sublet register.
public struct Sublet: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "sublet",
        abstract: "Rental administration for the City of Stockholm's sublet apartments.",
        discussion: """
            Exit codes: 0 success, 64 usage error, 65 invalid input or rejected operation, 66 input \
            file missing or unreadable, 75 database busy, 78 configuration error, 1 anything else. \
            A rejected command changes nothing.
            """,
        version: version,
        subcommands: [
            Initialize.self, DistrictCommand.self, ContractCommand.self, NoticesCommand.self,
            CorrectionsCommand.self, RefundsCommand.self, FeesCommand.self, BillingCommand.self, StatsCommand.self,
            LandlordCommand.self, LeaseCommand.self, InvoicesCommand.self, ReconcileCommand.self, ReportsCommand.self,
            JobsCommand.self, DatabaseCommand.self, AuditCommand.self, DemoCommand.self,
        ]
    )

    public init() {}
}

/// The `sublet` executable's entry point: parses the command line, runs, exits with a sysexits code.
public enum SubletMain {
    public static func run() {
        JournalLogHandler.bootstrap()
        Sublet.main()
    }
}
