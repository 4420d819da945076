import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct NoticesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Monthly rent notices (hyresavier).",
        discussion: """
            Examples:
              sublet notices run -n
              sublet notices export --period 2027-01 -o print
            """,
        subcommands: [Run.self, List.self, Show.self, Export.self]
    )

    struct Run: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue the regular notices of a month (default: next month).",
            discussion: """
                One notice per contract active in the month, prorated for partial months, with an OCR reference \
                and the due date (the last bank day before the month, at least notice.min_days after today). \
                Idempotent: a second run issues nothing new.

                Examples:
                  sublet notices run
                  sublet notices run --period 2027-01 -n
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM (default: next month).", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        @Flag(name: [.customShort("n"), .long], help: "Show what would be issued; write nothing.") var dryRun = false
        var access: SubletApp.DatabaseAccess { dryRun ? .readOnly : .readWrite }

        func run(_ app: SubletApp, _ out: Output) throws {
            if !dryRun { try app.requireSafeConfiguration(folders: .databaseAndOutbox) }
            let bar = ProgressBar(out, label: dryRun ? "Planning notices" : "Issuing notices")
            let report = try app.issueNotices(for: try period.value("--period"), dryRun: dryRun) { bar.update($0, of: $1) }
            bar.finish()
            try NoticeRunText.render(report, out)
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the notices of a month.",
            discussion: """
                Examples:
                  sublet notices list --period 2027-01
                  sublet notices list --period 2027-01 --contract L-0001 --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>
        @Option(help: "Only this contract's notices.") var contract: String?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let notices = try app.database.notices(period: try period.value("--period"), contractNumber: contract)
            if out.json {
                try out.json(notices.map(JSONShape.NoticeJSON.init))
                return
            }
            out.table(
                ["NUMBER", "CONTRACT", "PERIOD", "KIND", "ISSUED", "DUE", "OCR", "TOTAL"],
                notices.map {
                    [
                        $0.number, $0.contractNumber, $0.period.description, $0.kind.rawValue, $0.issueDate.description,
                        $0.dueDate.description, $0.ocr, $0.total.swedish,
                    ]
                },
                numeric: [7]
            )
        }
    }

    struct Show: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one notice with its lines.",
            discussion: """
                Examples:
                  sublet notices show 2026-000123
                  sublet notices show 2026-000123 --json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Notice number, e.g. 2026-000123.") var number: String
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let document = try app.database.notice(number: number)
            let notice = document.notice
            if out.json {
                try out.json(JSONShape.NoticeJSON(notice))
                return
            }
            out.line("\(notice.kind == .regular ? "Notice" : "Correction notice") \(notice.number), \(notice.period)")
            out.line("Contract \(notice.contractNumber), \(document.tenantName), \(document.address)")
            out.line("Issued \(notice.issueDate), due \(notice.dueDate), OCR \(notice.ocr)")
            out.line()
            // The lines as printed on the notice (Swedish: the tenant's text); the rest is ours.
            out.table(
                ["LINE AS PRINTED", "AMOUNT"], notice.lines.map { [$0.text, $0.amount.swedish] } + [["Total", notice.total.swedish]], numeric: [1])
        }
    }

    struct Export: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the month's distribution files for the print house.",
            discussion: """
                DIR/notices-PERIOD.csv and DIR/notices-PERIOD.json, and the notices to print: DIR/notices-PERIOD-001.html, \
                … (1,000 notices a file, one A4 page each, from the notice template, compiled in or in paths.templates), \
                with notice.css beside them. --per-notice writes one file per notice in DIR/html/ instead.

                Examples:
                  sublet notices export --period 2027-01 -o /var/lib/sublet/outbox/print/2027-01
                  sublet notices export --period 2027-01 -o /tmp/one --per-notice
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>
        @Option(name: [.short, .long], help: ArgumentHelp("Output folder (created if missing).", valueName: "dir")) var out: String
        @Flag(help: "One HTML file per notice in DIR/html/ instead of the printable batches.") var perNotice = false
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ output: Output) throws {
            let month = try period.value("--period")
            let bar = ProgressBar(output, label: "Exporting notices")
            let summary = try app.exportNotices(for: month, to: out, perNotice: perNotice) { bar.update($0, of: $1) }
            bar.finish()
            if output.json {
                try output.json(
                    ExportJSON(
                        period: month.description, notices: summary.notices, total: summary.total.plain,
                        csv: summary.csvPath, json: summary.jsonPath, batches: summary.batchFiles, html: summary.htmlDirectory))
            } else {
                output.line("Exported \(summary.notices) notice(s) for \(month) (total \(summary.total.swedish) kr):")
                output.line("  \(summary.csvPath)\n  \(summary.jsonPath)")
                if let folder = summary.htmlDirectory {
                    output.line("  \(folder)/ (a page per notice)")
                } else {
                    output.line(
                        "  \(summary.batchFiles.count) file(s) to print, \(NoticeExport.batchSize) notices each: \(summary.batchFiles.first ?? "none")…"
                    )
                }
            }
        }
    }
}

/// What the monthly run did, as `notices run` and the `monthly-notices` job print it.
enum NoticeRunText {
    static func render(_ report: NoticeRunReport, _ out: Output) throws {
        if out.json {
            try out.json(JSONShape.NoticeRunJSON(report))
            return
        }
        let month = report.period
        let verb = report.dryRun ? "Would issue" : "Issued"
        if report.issued == 0 {
            out.line("Nothing to issue for \(month): \(report.alreadyIssued) notice(s) already issued.")
        } else {
            out.line(
                "\(verb) \(report.issued) notice(s) for \(month), \(report.firstNumber ?? "")–\(report.lastNumber ?? ""), total \(report.total.swedish) kr, due \(report.dueDate)."
            )
            if report.alreadyIssued > 0 { out.line("\(report.alreadyIssued) notice(s) for \(month) were already issued.") }
        }
        if report.catchUpNotices > 0 {
            out.line(
                "Catch-up: \(report.catchUpNotices) of the notices bill earlier months that were run before their contracts were registered (own due dates, no fee)."
            )
        }
        if report.correctionLines > 0 || report.correctionNotices > 0 {
            out.line(
                "Corrections: \(report.correctionLines) line(s), \(report.correctionNotices) of the notices are correction notices (ended contracts)."
            )
        }
        if report.refunds > 0 {
            out.line(
                "\(report.dryRun ? "Would record" : "Recorded") \(report.refunds) refund(s) to tenants, \(report.refundTotal.swedish) kr (sublet refunds list)."
            )
        }
    }
}
