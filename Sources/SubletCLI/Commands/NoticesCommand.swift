import ArgumentParser
import Foundation
import SubletDomain
import SubletJobs
import SubletStorage

struct NoticesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Monthly rent notices (hyresavier).",
        subcommands: [Run.self, List.self, Show.self, Export.self]
    )

    struct Run: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue the regular notices of a month (default: next month).",
            discussion: """
                One notice per contract active in the month, prorated for partial months, with an OCR reference \
                and the due date (the last bank day before the month, at least notice.min_days after today). \
                Idempotent: a second run issues nothing new.
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM (default: next month).", valueName: "YYYY-MM")) var period: String?
        @Flag(help: "Show what would be issued; write nothing.") var dryRun = false

        func execute(_ environment: CommandEnvironment) throws {
            let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } }
                ?? environment.today.period.next
            let configuration = environment.configuration
            let report = try environment.openDatabase(readOnly: dryRun).issueRegularNotices(
                NoticeRunRequest(
                    period: month, issueDate: environment.today, minimumDays: configuration.noticeMinimumDays,
                    basis: configuration.prorationBasis, ocrLengthDigit: configuration.ocrLengthDigit, dryRun: dryRun
                ),
                context: environment.context
            )
            if environment.json { try Output.json(JSONShape.NoticeRunJSON(report)); return }
            let verb = dryRun ? "Would issue" : "Issued"
            if report.issued == 0 {
                Output.line("Nothing to issue for \(month): \(report.alreadyIssued) notice(s) already issued.")
            } else {
                Output.line("\(verb) \(report.issued) notice(s) for \(month), \(report.firstNumber!)–\(report.lastNumber!), total \(report.total.swedish) kr, due \(report.dueDate).")
                if report.alreadyIssued > 0 { Output.line("\(report.alreadyIssued) notice(s) for \(month) were already issued.") }
            }
            if report.catchUpNotices > 0 {
                Output.line("Catch-up: \(report.catchUpNotices) of the notices bill earlier months that were run before their contracts were registered (own due dates, no fee).")
            }
            if report.correctionLines > 0 || report.correctionNotices > 0 {
                Output.line("Corrections: \(report.correctionLines) line(s), \(report.correctionNotices) of the notices are correction notices (ended contracts).")
            }
            if report.refunds > 0 {
                Output.line("\(dryRun ? "Would record" : "Recorded") \(report.refunds) refund(s) to tenants, \(report.refundTotal.swedish) kr (sublet refunds list).")
            }
        }
    }

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List the notices of a month.")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM.", valueName: "YYYY-MM")) var period: String
        @Option(help: "Only this contract's notices.") var contract: String?

        func execute(_ environment: CommandEnvironment) throws {
            let month = try parseOption("--period", period) { try BillingPeriod.parse($0) }
            let notices = try environment.openDatabase(readOnly: true).notices(period: month, contractNumber: contract)
            if environment.json { try Output.json(notices.map(JSONShape.NoticeJSON.init)); return }
            Output.table(
                ["NUMBER", "CONTRACT", "PERIOD", "KIND", "ISSUED", "DUE", "OCR", "TOTAL"],
                notices.map { [$0.number, $0.contractNumber, $0.period.description, $0.kind.rawValue, $0.issueDate.description,
                               $0.dueDate.description, $0.ocr, $0.total.swedish] },
                numeric: [7]
            )
        }
    }

    struct Show: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "Show one notice with its lines.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Notice number, e.g. 2026-000123.") var number: String

        func execute(_ environment: CommandEnvironment) throws {
            let document = try environment.openDatabase(readOnly: true).notice(number: number)
            let notice = document.notice
            if environment.json { try Output.json(JSONShape.NoticeJSON(notice)); return }
            Output.line("\(notice.kind == .regular ? "Hyresavi" : "Avi, retroaktiv justering") \(notice.number) — \(notice.period.swedishName)")
            Output.line("Contract \(notice.contractNumber), \(document.tenantName), \(document.address)")
            Output.line("Issued \(notice.issueDate), due \(notice.dueDate), OCR \(notice.ocr)")
            Output.line()
            Output.table(["TEXT", "AMOUNT"], notice.lines.map { [$0.text, $0.amount.swedish] } + [["Att betala", notice.total.swedish]], numeric: [1])
        }
    }

    struct Export: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the month's distribution files for the print house.",
            discussion: "DIR/notices-PERIOD.csv, DIR/notices-PERIOD.json and one Swedish HTML page per notice in DIR/html/, from the template in paths.templates."
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM.", valueName: "YYYY-MM")) var period: String
        @Option(help: ArgumentHelp("Output folder (created if missing).", valueName: "dir")) var out: String

        func execute(_ environment: CommandEnvironment) throws {
            let month = try parseOption("--period", period) { try BillingPeriod.parse($0) }
            let database = try environment.openDatabase(readOnly: true)
            let summary = try NoticeExport(configuration: environment.configuration).export(period: month, from: database, to: out)
            if environment.json {
                try Output.json(ExportJSON(period: month.description, notices: summary.notices, total: summary.total.plain,
                                           csv: summary.csvPath, json: summary.jsonPath, html: summary.htmlDirectory))
            } else {
                Output.line("Exported \(summary.notices) notice(s) for \(month) (total \(summary.total.swedish) kr):")
                Output.line("  \(summary.csvPath)\n  \(summary.jsonPath)\n  \(summary.htmlDirectory)/")
            }
        }

        struct ExportJSON: Encodable {
            var period: String
            var notices: Int
            var total: String
            var csv: String
            var json: String
            var html: String
        }
    }
}
