import ArgumentParser
import Foundation
import Logging
import SubletDomain
import SubletJobs

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "The named jobs in Jobs/*.toml that the systemd timers run.",
        subcommands: [List.self, Run.self]
    )

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List the jobs, their schedules and commands.")

        @OptionGroup var global: GlobalOptions

        func execute(_ environment: CommandEnvironment) throws {
            let catalog = try JobCatalog(directory: environment.configuration.jobsDirectory)
            if environment.json {
                try Output.json(catalog.jobs.map { JobJSON(name: $0.name, description: $0.description, schedule: $0.schedule, run: $0.run) })
                return
            }
            Output.table(["NAME", "SCHEDULE", "RUNS", "DESCRIPTION"],
                         catalog.jobs.map { [$0.name, $0.schedule, "sublet " + $0.run.joined(separator: " "), $0.description] })
        }

        struct JobJSON: Encodable {
            var name: String
            var description: String
            var schedule: String
            var run: [String]
        }
    }

    struct Run: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a job now, as its timer would.",
            discussion: "The job's command runs in this process with the same --db, --config, --json and --actor."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Job name, e.g. monthly-notices.") var name: String

        func execute(_ environment: CommandEnvironment) throws {
            let catalog = try JobCatalog(directory: environment.configuration.jobsDirectory)
            guard let job = catalog.job(named: name) else {
                let known = catalog.jobs.map(\.name).joined(separator: ", ")
                throw RejectedError("no job named \(Quote.excerpt(name)) in \(catalog.directory) (jobs: \(known))")
            }
            let arguments = job.run + global.arguments
            let logger = Logger(label: "sublet.jobs")
            let metadata: Logger.Metadata = ["job.name": "\(job.name)", "job.run": "\(job.run.joined(separator: " "))"]
            var command: any ParsableCommand
            do {
                command = try Sublet.parseAsRoot(arguments)
            } catch {
                throw ConfigurationError.badValue(path: job.file, key: "run", message: Sublet.message(for: error))
            }
            guard !(command is Run) else {
                throw ConfigurationError.badValue(path: job.file, key: "run", message: "a job may not run another job")
            }
            logger.notice("Job started", metadata: metadata)
            let start = ContinuousClock.now
            do {
                try command.run()
            } catch {
                logger.error("Job failed", metadata: metadata.merging(["job.duration": "\(ContinuousClock.now - start)"]) { $1 })
                throw error
            }
            logger.notice("Job finished", metadata: metadata.merging(["job.duration": "\(ContinuousClock.now - start)"]) { $1 })
        }
    }
}
