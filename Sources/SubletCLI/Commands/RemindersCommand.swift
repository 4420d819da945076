import ArgumentParser
import SubletApp
import SubletDomain

struct RemindersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract: "Reminders (påminnelser) for notices unpaid reminders.days_after_due days after their due date.",
        discussion: """
            Examples:
              sublet reminders run
            """,
        subcommands: [Run.self])

    struct Run: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the reminders due (one page per notice and one CSV); each notice is reminded once.",
            discussion: """
                What the payment-reminders job runs every morning.

                Examples:
                  sublet reminders run
                  sublet reminders run --date 2026-12-07
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The day to remind as of (default today).", valueName: "YYYY-MM-DD")) var date: Parsed<CalendarDate>?

        func run(_ app: SubletApp, _ out: Output) throws {
            try RemindersText.render(try app.sendReminders(on: try date.value("--date")), out)
        }
    }
}

/// What `reminders run` and the `payment-reminders` job print.
enum RemindersText {
    static func render(_ written: Reminders.Written, _ out: Output) throws {
        if out.json {
            struct Shape: Encodable {
                var reminders: Int
                var folder: String?
            }
            try out.json(Shape(reminders: written.reminders, folder: written.folder))
        } else if let folder = written.folder {
            out.line("Wrote \(written.reminders) reminder(s) to \(folder).")
        } else {
            out.line("No notice needs a reminder.")
        }
    }
}
