import ArgumentParser
import Foundation
import Logging
import SubletApp

/// `sublet`: the administrators' command line for the sublet register.
public struct Sublet: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "sublet",
        abstract: "Rental administration for the City of Stockholm's sublet apartments.",
        discussion: """
            Exit codes: 0 success, 64 usage error, 65 invalid input or rejected operation, 66 input \
            file missing or unreadable, 73 an output file cannot be written, 75 database busy, 78 \
            configuration error, 1 anything else. A rejected command changes nothing.

            The options every command takes (--db, --config, --json, --actor, -q, -v) may also come before \
            the subcommand. Under --json, errors are JSON on stderr: {"error": ..., "exit_code": ...}.

            Examples:
              sublet find "Anna Berg"
              sublet --db /var/lib/sublet/sublet.sqlite contract list --district RK
              sublet notices run -n
              sublet payments unidentified --json
            """,
        version: version,
        subcommands: [
            Initialize.self, FindCommand.self, DistrictCommand.self, ContractCommand.self, NoticesCommand.self,
            CorrectionsCommand.self, RefundsCommand.self, FeesCommand.self, BillingCommand.self, StatsCommand.self,
            LandlordCommand.self, LeaseCommand.self, InvoicesCommand.self, ReconcileCommand.self, ReportsCommand.self,
            PaymentsCommand.self, LedgerCommand.self, DebtsCommand.self, ForfeitureCommand.self, RemindersCommand.self,
            JobsCommand.self, DatabaseCommand.self, ConfigCommand.self, AlertCommand.self, AuditCommand.self, PortalCommand.self, DemoCommand.self,
        ]
    )

    public init() {}
}

/// Runs `sublet`: parses the command line, builds the app once, runs the command, and says how
/// it ended. In-process (tests) or as the executable.
public enum SubletMain {
    /// The executable: the process's arguments, environment and streams; exits with the code.
    public static func run(logger: Logger) -> Never {
        let code = run(
            arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
            output: StandardOutput(), logger: logger)
        exit(code)
    }

    /// Runs one command line and returns its exit code (docs/cli.md).
    public static func run(
        arguments: [String], environment: [String: String], output: any OutputSink, logger: Logger,
        clock: (any StockholmClock)? = nil
    ) -> Int32 {
        let arguments = GlobalOptions.hoisted(arguments)
        let json = arguments.contains("--json")
        let parsed: any ParsableCommand
        do {
            parsed = try Sublet.parseAsRoot(arguments)
        } catch {
            return reportParsing(error, output, json: json)
        }
        guard let command = parsed as? any AppCommand else {
            // `help`, `--help`, or a group named without a subcommand: each one's run shows the help.
            do {
                var other = parsed
                try other.run()
                return 0
            } catch {
                return reportParsing(error, output)
            }
        }
        let global = command.global
        var logger = logger
        if global.verbose { logger.logLevel = .info }
        do {
            let app = try SubletApp.make(
                global.launchOptions(access: command.access), environment: environment, output: output, logger: logger, clock: clock)
            try command.run(app, Output(sink: output, json: global.json, quiet: global.quiet))
            return 0
        } catch let error as CleanExit {
            return reportParsing(error, output, json: global.json)
        } catch let error as ValidationError {
            return reportParsing(error, output, json: global.json)
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            return ErrorReporter.report(error, to: output, json: global.json)
        }
    }

    /// ArgumentParser's own messages: help and the version on stdout, usage errors on stderr
    /// (as JSON under `--json`).
    static func reportParsing(_ error: any Error, _ output: any OutputSink, json: Bool = false) -> Int32 {
        let code = Sublet.exitCode(for: error).rawValue
        let message = Sublet.fullMessage(for: error)
        if code == 0 {
            output.write(message.isEmpty ? "" : message + "\n")
        } else if json {
            ErrorReporter.write(Sublet.message(for: error), code: code, to: output, json: true)
        } else {
            output.writeError(message.isEmpty ? "" : message + "\n")
        }
        return code
    }
}
