import Foundation
import SubletDomain
import SubletStorage

/// `sublet demo`: a fresh database with realistic synthetic data, the monthly job, and the
/// print-house export, timed phase by phase. The benchmark runs the same phases.
public struct Demo: Sendable {
    public var contracts: Int
    public var directory: String
    public var configuration: SubletConfiguration
    public var context: ChangeContext

    public init(contracts: Int, directory: String, configuration: SubletConfiguration, context: ChangeContext) {
        self.contracts = contracts
        self.directory = directory
        self.configuration = configuration
        self.context = context
    }

    public struct Phase: Sendable {
        public var name: String
        public var seconds: Double
        public var detail: String
    }

    public struct Report: Sendable {
        public var databasePath: String
        public var period: BillingPeriod
        public var phases: [Phase] = []
        public var notices: NoticeRunReport?
        public var export: NoticeExport.Summary?
    }

    public var databasePath: String { directory + "/sublet.sqlite" }

    /// Runs every phase; `progress` hears each phase as it ends.
    public func run(progress: (Phase) -> Void = { _ in }) throws -> Report {
        let period = context.today.period.next
        var report = Report(databasePath: databasePath, period: period)
        let export = NoticeExport(configuration: configuration)
        _ = try export.loadTemplate()  // fail before the work, not after it
        func phase<T>(_ name: String, _ body: () throws -> (T, String)) rethrows -> T {
            let start = ContinuousClock.now
            let (value, detail) = try body()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let entry = Phase(name: name, seconds: seconds, detail: detail)
            report.phases.append(entry)
            progress(entry)
            return value
        }
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: databasePath + suffix) }
        try? files.removeItem(atPath: directory + "/export")

        let database = try phase("create database") {
            (try SubletDatabase.initialize(at: databasePath).0, databasePath)
        }
        try phase("add districts") {
            for district in SyntheticRegister.districts { try database.addDistrict(district, context: context) }
            return ((), "\(SyntheticRegister.districts.count) district offices")
        }
        let csvPath = directory + "/legacy-contracts.csv"
        let bytes = try phase("generate legacy export") {
            let bytes = SyntheticRegister().csv(count: contracts, activeIn: period)
            try FileOutput.write(Data(bytes), to: csvPath)
            return (bytes, "\(contracts) contracts, \(bytes.count / 1024) KiB → \(csvPath)")
        }
        try phase("import contracts") {
            var reader = try ContractImportReader(bytes: bytes, today: context.today)
            let outcome = try database.importContracts(from: &reader, source: "legacy-contracts.csv", context: context)
            return ((), "\(outcome.imported) contracts imported")
        }
        report.notices = try phase("monthly notices") {
            let run = try database.issueRegularNotices(
                NoticeRunRequest(period: period, issueDate: context.today, minimumDays: configuration.noticeMinimumDays,
                                 basis: configuration.prorationBasis, ocrLengthDigit: configuration.ocrLengthDigit, dryRun: false),
                context: context
            )
            return (run, "\(run.issued) notices for \(period), total \(run.total.swedish) kr, due \(run.dueDate)")
        }
        report.export = try phase("print-house export") {
            let summary = try export.export(period: period, from: database, to: directory + "/export")
            return (summary, "\(summary.notices) HTML pages, CSV and JSON → \(directory)/export")
        }
        return report
    }
}
