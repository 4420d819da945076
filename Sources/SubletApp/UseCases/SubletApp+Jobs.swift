import Foundation
import Logging
import SubletDomain
import SubletStorage

/// What a job did: the result of the use case it ran.
public enum JobOutcome: Sendable {
    case notices(NoticeRunReport)
    case billing(SubletApp.BillingResult)
    case reports([ReconciliationReports.Written])
    case backup(written: String, removed: [String])
    /// The daily late-rent job: reminders, and each district's forfeiture list.
    case lateRent(reminders: Reminders.Written, forfeiture: [ForfeitureReports.Written])
}

extension SubletApp {
    /// The jobs this process knows (`paths.jobs`, else the compiled-in ones).
    public func jobCatalog() throws -> JobCatalog { try JobCatalog(directory: settings.paths.jobs) }

    /// Runs a named job now, as its timer would: the use case it names with its parameters, logged
    /// as it starts and ends.
    public func runJob(named name: String) throws -> JobOutcome {
        let catalog = try jobCatalog()
        guard let job = catalog.job(named: name) else {
            let known = catalog.jobs.map(\.name).joined(separator: ", ")
            throw UnknownJob(description: "no job named \(Quote.excerpt(name)) in \(catalog.origin) (jobs: \(known))")
        }
        let metadata: Logger.Metadata = ["job.name": "\(job.name)", "job.task": "\(job.task.rawValue)"]
        logger.notice("Job started", metadata: metadata)
        let start = ContinuousClock.now
        do {
            let outcome = try run(job)
            logger.notice("Job finished", metadata: metadata.merging(["job.duration": "\(ContinuousClock.now - start)"]) { $1 })
            return outcome
        } catch {
            logger.error("Job failed", metadata: metadata.merging(["job.duration": "\(ContinuousClock.now - start)"]) { $1 })
            throw error
        }
    }

    private func run(_ job: JobDefinition) throws -> JobOutcome {
        let period = job.period?.resolved(on: clock.today)
        // What tenants receive must name the city's payee; backups and reports go on regardless.
        if [.issueNotices, .sendReminders].contains(job.task) { try requireSafeConfiguration(folders: .databaseAndOutbox) }
        switch job.task {
        case .issueNotices: return .notices(try issueNotices(for: period))
        case .billFees: return .billing(try billFees(for: period))
        case .buildReports: return .reports(try buildReports(for: period))
        case .backUp:
            let (written, removed) = try rotateBackups()
            return .backup(written: written, removed: removed)
        case .sendReminders:
            // Credit of contracts that have ended becomes a refund before anyone is reminded.
            try database.applyCredits(policy: settings.payments.overpayment, context: context)
            return .lateRent(reminders: try sendReminders(), forfeiture: try writeForfeitureReports())
        }
    }

    /// A job name that is not in the catalog (exit 65).
    public struct UnknownJob: CategorizedError {
        public let description: String
        public var category: ErrorCategory { .invalidInput }
    }
}
