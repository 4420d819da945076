import Foundation
import SubletApp
import SubletDomain
import SubletStorage

/// A `--dir` that is not the demo's (exit 64).
public struct DemoFolderError: CategorizedError {
    public let description: String
    public var category: ErrorCategory { .usage }
}

/// `sublet demo`: a fresh database with realistic synthetic data, the monthly job, and the
/// print-house export, then a month of landlords' invoices ingested and reconciled into the
/// districts' reports, timed phase by phase. The benchmark runs the same phases.
public struct Demo: Sendable {
    public var contracts: Int
    /// Landlords' invoices in the generated feed (0: no reconciliation phases).
    public var invoices: Int
    public var directory: String
    /// The app the demo runs its use cases through; its database is the demo's own.
    public var app: SubletApp

    /// Whether the demo may use a folder that holds other files than an earlier demo's.
    public var force = false

    public init(contracts: Int, invoices: Int = 0, directory: String, app: SubletApp, force: Bool = false) {
        self.force = force
        self.contracts = contracts
        self.invoices = invoices
        self.directory = directory
        var settings = app.settings
        settings.paths.outbox = directory + "/outbox"
        settings.portal.accounts = directory + "/portal.sqlite"
        settings.payee = Self.payee
        self.app = app.with(settings: settings)
    }

    /// The demo's own payee, fictitious, and said so on every notice it prints: the demo never
    /// runs with the example number `config check` refuses.
    public static let payee = Settings.Payee(
        name: "Stockholms stad (DEMO: fiktiv betalningsmottagare)",
        // A literal that passes the check digit (a test reads it back).
        bankgiro: try! BankgiroNumber(parsing: "9999-9997"))

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
        public var corrections: [Correction] = []
        public var nextRun: NoticeRunReport?
        public var files: [String] = []
        /// The month the invoices bill, and the reports written for it.
        public var reconciledPeriod: BillingPeriod?
        public var reports: [ReconciliationReports.Written] = []
        public var payments: PaymentsReport?
        /// The portal's accounts the demo made, with their passwords (printed once), and the
        /// configuration file that starts the portal on the demo's data.
        public var portalUsers: [(email: String, district: String?, password: String)] = []
        public var portalConfig: String?
    }

    public var databasePath: String { directory + "/sublet.sqlite" }

    /// The file that marks a folder as the demo's: the demo replaces what it wrote there before.
    public static let marker = ".sublet-demo"

    /// A folder that holds anything while it lacks the marker is someone else's: refused unless
    /// `force`. The folder is created and marked.
    static func claim(_ directory: String, force: Bool) throws {
        let files = FileManager.default
        let entries = (try? files.contentsOfDirectory(atPath: directory)) ?? []
        if !entries.isEmpty, !entries.contains(marker), !force {
            throw DemoFolderError(
                description: "\(directory) holds files that are not an earlier demo's (no \(marker) in it): "
                    + "choose an empty or new --dir, or add --force to let the demo replace its own files there")
        }
        try FileOutput.createFolder(directory)
        try FileOutput.write(Data("Written by `sublet demo`: it may replace its own files in this folder.\n".utf8), to: directory + "/" + marker)
    }

    /// Runs every phase; `progress` hears each phase as it ends.
    public func run(progress: @escaping (Phase) -> Void = { _ in }) throws -> Report {
        let today = app.clock.today
        let period = today.period.next
        var report = Report(databasePath: databasePath, period: period)
        _ = try NoticeExport(configuration: app.settings).loadTemplate()  // fail before the work, not after it
        var timer = PhaseTimer(progress: progress)
        func phase<T>(_ name: String, _ body: () throws -> (T, String)) rethrows -> T { try timer.time(name, body) }
        let files = FileManager.default
        try Self.claim(directory, force: force)
        for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: databasePath + suffix) }
        try? files.removeItem(atPath: directory + "/export")
        try? files.removeItem(atPath: directory + "/outbox")

        let app = try buildRegister(period: period, timer: &timer)
        try issueAndCorrect(app, period: period, into: &report, timer: &timer)
        try phase("billing and indicators") {
            let billing = try app.billFees(for: today.period, to: directory + "/billing-\(today.period).csv")
            let stats = directory + "/stats-\(today.year).html"
            let indicators = try app.indicators()
            try FileOutput.write(Data(try indicators.html(templatesDirectory: app.settings.paths.templates).utf8), to: stats)
            report.files = [billing.file, stats]
            return ((), "\(billing.fees.count) fees → \(billing.file); indicators → \(stats)")
        }
        report.payments = try payments(app, timer: &timer)
        if invoices > 0 { try reconcileInvoices(app, into: &report, timer: &timer) }
        try portal(app, into: &report, timer: &timer)
        report.phases = timer.phases
        return report
    }

    /// A fresh database with the districts and the legacy register's contracts imported.
    private func buildRegister(period: BillingPeriod, timer: inout PhaseTimer) throws -> SubletApp {
        func phase<T>(_ name: String, _ body: () throws -> (T, String)) rethrows -> T { try timer.time(name, body) }
        let app = try phase("create database") {
            _ = try self.app.opening(databasePath, access: .none).initializeDatabase()
            return (try self.app.opening(databasePath, access: .readWrite), databasePath)
        }
        try phase("add districts") {
            for district in SyntheticRegister.districts { try app.addDistrict(district) }
            return ((), "\(SyntheticRegister.districts.count) district offices")
        }
        let csvPath = directory + "/legacy-contracts.csv"
        try phase("generate legacy export") {
            let bytes = SyntheticRegister().csv(count: contracts, activeIn: period)
            try FileOutput.write(Data(bytes), to: csvPath)
            return ((), "\(contracts) contracts, \(bytes.count / 1024) KiB → \(csvPath)")
        }
        try phase("import contracts") {
            let outcome = try app.importContracts(file: csvPath)
            return ((), "\(outcome.imported) contracts imported")
        }
        return app
    }

    /// Two months of history, the month's run and its export, then retroactive changes and a dry
    /// run of the next month that would bill them.
    private func issueAndCorrect(_ app: SubletApp, period: BillingPeriod, into report: inout Report, timer: inout PhaseTimer) throws {
        func phase<T>(_ name: String, _ body: () throws -> (T, String)) rethrows -> T { try timer.time(name, body) }
        try phase("earlier months") {
            // History: the two months before were noticed on the 10th of the month before them.
            var issued = 0
            for month in [period.advanced(by: -2), period.previous] {
                let day = month.previous.firstDay.adding(days: 9)
                issued += try app.with(clock: FixedClock(today: day, now: app.clock.now)).issueNotices(for: month).issued
            }
            return ((), "\(issued) notices for \(period.advanced(by: -2)) and \(period.previous), back-dated")
        }
        report.notices = try phase("monthly notices") {
            let run = try app.issueNotices(for: period)
            return (run, "\(run.issued) notices for \(period), total \(run.total.swedish) kr, due \(run.dueDate)")
        }
        report.export = try phase("print-house export") {
            let summary = try app.exportNotices(for: period, to: directory + "/export")
            return (summary, "\(summary.notices) A4 pages in \(summary.batchFiles.count) HTML files, CSV and JSON → \(directory)/export")
        }
        report.corrections = try phase("retroactive changes") {
            let corrections = try retroactiveChanges(app, period: period)
            let fees = corrections.compactMap(\.fee)
            let billed = fees.filter { !$0.waived }
            return (
                corrections,
                "\(corrections.count) corrections, \(billed.count) fees \(try billed.map(\.amount).sum().swedish) kr, \(fees.count - billed.count) waived"
            )
        }
        report.nextRun = try phase("next run (dry run)") {
            let next = try app.issueNotices(for: period.next, dryRun: true)
            return (next, "\(next.issued) notices for \(period.next) would carry \(next.correctionLines) correction lines; \(next.refunds) refunds")
        }
    }

    /// This month's invoices from the landlords of as many head leases (and 1 % more that get
    /// none): registers, the feed, its ingest, and the subscribing districts' reports.
    private func reconcileInvoices(_ app: SubletApp, into report: inout Report, timer: inout PhaseTimer) throws {
        func phase<T>(_ name: String, _ body: () throws -> (T, String)) rethrows -> T { try timer.time(name, body) }
        let month = app.clock.thisMonth
        let feed = SyntheticInvoiceFeed(invoices: invoices, period: month)
        let leasesPath = directory + "/head-leases.csv"
        try phase("landlords and leases") {
            for landlord in SyntheticInvoiceFeed.landlords { try app.addLandlord(landlord) }
            try FileOutput.write(Data(try feed.leasesCSV()), to: leasesPath)
            let leases = try app.importLeases(file: leasesPath)
            for code in SyntheticInvoiceFeed.subscribingDistricts {
                try app.setReconciliation(district: code, enabled: true, from: month.advanced(by: -12))
            }
            return (
                (),
                "\(SyntheticInvoiceFeed.landlords.count) landlords, \(leases) head leases; \(SyntheticInvoiceFeed.subscribingDistricts.joined(separator: ", ")) subscribe"
            )
        }
        let feedPath = directory + "/invoices-\(month).xml"
        try phase("generate invoice feed") {
            let bytes = try feed.writeFeed(to: feedPath)
            return ((), "\(invoices) PEPPOL invoices × 5 lines, \(bytes / 1_048_576) MB → \(feedPath)")
        }
        try phase("ingest invoices") {
            let outcome = try app.ingest(file: feedPath)
            return ((), "\(outcome.invoices) invoices, \(outcome.ruleFailures) rule failures, \(outcome.duplicates) duplicates")
        }
        report.reconciledPeriod = month
        report.reports = try phase("reconciliation reports") {
            let written = try app.buildReports(for: month)
            let discrepancies = written.filter { $0.district != ReconciliationReports.administrationFolder }.map(\.discrepancies).reduce(0, +)
            return (written, "\(written.count - 1) districts, \(discrepancies) discrepancies → \(directory)/outbox/<district>/\(month)/")
        }
    }

    /// A handful of the changes that reach back in real life: rent increases decided late (three
    /// notices: billable; one fee waived), moves reported late, a charge added a month late.
    private func retroactiveChanges(_ app: SubletApp, period: BillingPeriod) throws -> [Correction] {
        let first = period.advanced(by: -2).firstDay
        /// This year's negotiated increase, 3 %, in whole kronor.
        func raised(_ contract: Contract) -> TermChange {
            let rent = contract.terms.step(of: ContractTerms.rent, on: first)?.amount ?? .zero
            let increased = (try? rent.scaled(by: 103, over: 100)) ?? rent  // a demo rent is far from any bound
            return .rent(Money(kronor: (increased.ore + 50) / 100), from: first)
        }
        let plan: [((Contract) -> TermChange, (minutes: Int?, waiverReason: String?))] = [
            (raised, (45, nil)),
            (raised, (30, nil)),
            (raised, (60, nil)),
            (raised, (30, "Felregistrering av administrationen")),
            ({ _ in .end(period.previous.firstDay.adding(days: 14)) }, (nil, nil)),
            ({ _ in .end(period.firstDay.adding(days: 4)) }, (nil, nil)),
            ({ _ in .charge(ChargeSpec(label: "Förråd", amount: Money(kronor: 150)), from: period.firstDay) }, (nil, nil)),
        ]
        var corrections: [Correction] = []
        var candidate = 0
        for (change, options) in plan {
            // Contracts that start or end inside these months refuse some changes: take the next one.
            while candidate < contracts {
                candidate += 1
                let number = "L-" + String(candidate).zeroPadded(to: 7)
                guard let contract = try? app.database.contract(number: number),
                    let result = try? app.changeContract(number, change(contract), minutes: options.minutes, waiverReason: options.waiverReason),
                    let correction = result.correction
                else { continue }
                corrections.append(correction)
                break
            }
        }
        return corrections
    }
}

/// Times phases, one after another, and tells `progress` of each as it ends.
struct PhaseTimer {
    let progress: (Demo.Phase) -> Void
    private(set) var phases: [Demo.Phase] = []

    init(progress: @escaping (Demo.Phase) -> Void) { self.progress = progress }

    mutating func time<T>(_ name: String, _ body: () throws -> (T, String)) rethrows -> T {
        let start = ContinuousClock.now
        let (value, detail) = try body()
        let entry = Demo.Phase(name: name, seconds: Stopwatch.seconds(ContinuousClock.now - start), detail: detail)
        phases.append(entry)
        progress(entry)
        return value
    }
}

/// Durations as seconds, for the demo's and the benchmark's figures.
enum Stopwatch {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The seconds `body` takes.
    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return seconds(ContinuousClock.now - start)
    }
}
