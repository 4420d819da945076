import ArgumentParser
import SubletApp
import SubletDomain

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "The named jobs that the systemd timers run (Jobs/*.toml, compiled in; paths.jobs overrides).",
        discussion: """
            Examples:
              sublet jobs list
              sublet jobs run monthly-notices
            """,
        subcommands: [List.self, Run.self]
    )

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the jobs, their schedules and what they run.",
            discussion: """
                Examples:
                  sublet jobs list
                  sublet jobs list --json
                """)

        @OptionGroup var global: GlobalOptions
        var access: SubletApp.DatabaseAccess { .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            let jobs = try app.jobCatalog().jobs
            if out.json {
                try out.json(
                    jobs.map {
                        JobJSON(
                            name: $0.name, description: $0.description, schedule: $0.schedule, task: $0.task.rawValue, period: $0.period?.description)
                    })
                return
            }
            out.table(
                ["NAME", "SCHEDULE", "TASK", "PERIOD", "DESCRIPTION"],
                jobs.map { [$0.name, $0.schedule, $0.task.rawValue, $0.period?.description ?? "", $0.description] })
        }
    }

    struct Run: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a job now, as its timer would.",
            discussion:
                """
                The job's task runs in this process with the same --db, --config, --json and --actor, and prints what the matching command prints.

                Examples:
                  sublet jobs run monthly-notices
                  sudo -u sublet sublet jobs run nightly-backup
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Job name, e.g. monthly-notices.") var name: String

        func run(_ app: SubletApp, _ out: Output) throws {
            switch try app.runJob(named: name) {
            case .notices(let report): try NoticeRunText.render(report, out)
            case .billing(let result): try BillingText.render(result, out)
            case .reports(let written): try ReportsText.render(written, out)
            case .backup(let written, let removed): try BackupText.rotated(database: app.databasePath, written: written, removed: removed, out)
            case .lateRent(let reminders, let forfeiture):
                try RemindersText.render(reminders, out)
                if !out.json { ForfeitureText.render(forfeiture, out) }
            }
        }
    }
}
