import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct ForfeitureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forfeiture",
        abstract: "The forfeiture watch (JB 12:42, 12:44): notices unpaid on the first bank day after due date + 7 days.",
        discussion: """
            Examples:
              sublet forfeiture list
              sublet forfeiture notify 2026-000123 --date 2026-12-14
            """,
        subcommands: [List.self, Notify.self, Report.self])

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "The notices on the list, with the recovery deadline once notified.",
            discussion: """
                Examples:
                  sublet forfeiture list
                  sublet forfeiture list --district RK --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this district's.") var district: String?
        @Option(help: ArgumentHelp("The day the list is for (default today).", valueName: "YYYY-MM-DD")) var date: Parsed<CalendarDate>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let day = try date.value("--date") ?? app.clock.today
            let listed = try app.forfeitureList(district: district, on: day)
            if out.json {
                try out.json(listed.map { OwedNoticeJSON($0, asOf: day, watch: true) })
                return
            }
            if listed.isEmpty { out.line("No notice is on the forfeiture list on \(day).") }
            out.table(
                ["NOTICE", "CONTRACT", "DISTRICT", "TENANT", "DUE", "ON LIST SINCE", "OWED", "NOTIFIED", "RECOVERY BY"],
                listed.map {
                    [
                        $0.notice, $0.contract, $0.district, $0.tenant, $0.dueDate.description,
                        ForfeitureWatch.watchDate(dueDate: $0.dueDate).description, $0.balance.swedish, $0.notifiedOn?.description ?? "",
                        $0.notifiedOn.map { ForfeitureWatch.recoveryDeadline(notifiedOn: $0).description } ?? "",
                    ]
                }, numeric: [6])
        }
    }

    struct Report: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write each district's list beside its reconciliation reports (CSV and HTML, no identity numbers).",
            discussion: """
                The payment-reminders job writes them every morning too.

                Examples:
                  sublet forfeiture report
                  sublet forfeiture report --date 2026-12-14
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The day the lists are for (default today).", valueName: "YYYY-MM-DD")) var date: Parsed<CalendarDate>?

        func run(_ app: SubletApp, _ out: Output) throws {
            let written = try app.writeForfeitureReports(on: try date.value("--date"))
            if out.json {
                struct Shape: Encodable {
                    var district: String
                    var notices: Int
                    var csv, html: String
                }
                try out.json(written.map { Shape(district: $0.district, notices: $0.notices, csv: $0.csv, html: $0.html) })
            } else {
                ForfeitureText.render(written, out)
            }
        }
    }

    struct Notify: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the tenant and the district (for the social welfare board) were notified.",
            discussion: """
                The tenant keeps the tenancy by paying within three weeks of the notice; the list shows that deadline.

                Examples:
                  sublet forfeiture notify 2026-000123 --date 2026-12-14
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Notice number.") var notice: String
        @Option(help: ArgumentHelp("The day the notice was given.", valueName: "YYYY-MM-DD")) var date: Parsed<CalendarDate>

        func run(_ app: SubletApp, _ out: Output) throws {
            let day = try date.value("--date")
            let recorded = try app.recordForfeitureNotice(notice, on: day)
            let deadline = ForfeitureWatch.recoveryDeadline(notifiedOn: day)
            if out.json {
                try out.json(["notice": recorded.notice, "notified_on": day.description, "recovery_deadline": deadline.description])
            } else {
                out.line("Notice \(notice): notified \(day); the tenant keeps the tenancy by paying \(recorded.balance.swedish) kr by \(deadline).")
            }
        }
    }
}

/// What `forfeiture report` and the `payment-reminders` job print about the lists.
enum ForfeitureText {
    static func render(_ written: [ForfeitureReports.Written], _ out: Output) {
        if written.isEmpty { out.line("No notice is on a forfeiture list.") }
        for report in written { out.line("\(report.district): \(report.notices) notice(s) on the forfeiture list → \(report.html)") }
    }
}
