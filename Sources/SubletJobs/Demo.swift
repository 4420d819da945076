import Foundation
import SubletDomain
import SubletStorage

/// `sublet demo`: a fresh database with realistic synthetic data, the monthly job, and the
/// print-house export, then a month of landlords' invoices ingested and reconciled into the
/// districts' reports, timed phase by phase. The benchmark runs the same phases.
public struct Demo: Sendable {
    public var contracts: Int
    /// Landlords' invoices in the generated feed (0: no reconciliation phases).
    public var invoices: Int
    public var directory: String
    public var configuration: SubletConfiguration
    public var context: ChangeContext

    public init(contracts: Int, invoices: Int = 0, directory: String, configuration: SubletConfiguration, context: ChangeContext) {
        self.contracts = contracts
        self.invoices = invoices
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
        public var corrections: [Correction] = []
        public var nextRun: NoticeRunReport?
        public var files: [String] = []
        /// The month the invoices bill, and the reports written for it.
        public var reconciledPeriod: BillingPeriod?
        public var reports: [ReconciliationReports.Written] = []
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
        try FileOutput.createFolder(directory)
        for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: databasePath + suffix) }
        try? files.removeItem(atPath: directory + "/export")
        try? files.removeItem(atPath: directory + "/outbox")

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
        func request(_ month: BillingPeriod, issued: CalendarDate, dryRun: Bool = false) -> NoticeRunRequest {
            NoticeRunRequest(period: month, issueDate: issued, minimumDays: configuration.noticeMinimumDays,
                             basis: configuration.prorationBasis, ocrLengthDigit: configuration.ocrLengthDigit, dryRun: dryRun)
        }
        try phase("earlier months") {
            // History: the two months before were noticed on the 10th of the month before them.
            var issued = 0
            for month in [period.advanced(by: -2), period.previous] {
                let day = month.previous.firstDay.adding(days: 9)
                issued += try database.issueRegularNotices(request(month, issued: day), context: ChangeContext(actor: context.actor, today: day)).issued
            }
            return ((), "\(issued) notices for \(period.advanced(by: -2)) and \(period.previous), back-dated")
        }
        report.notices = try phase("monthly notices") {
            let run = try database.issueRegularNotices(request(period, issued: context.today), context: context)
            return (run, "\(run.issued) notices for \(period), total \(run.total.swedish) kr, due \(run.dueDate)")
        }
        report.export = try phase("print-house export") {
            let summary = try export.export(period: period, from: database, to: directory + "/export")
            return (summary, "\(summary.notices) HTML pages, CSV and JSON → \(directory)/export")
        }
        report.corrections = try phase("retroactive changes") {
            let corrections = try retroactiveChanges(database, period: period)
            let fees = corrections.compactMap(\.fee)
            let billed = fees.filter { !$0.waived }
            return (corrections, "\(corrections.count) corrections, \(billed.count) fees \(try billed.map(\.amount).sum().swedish) kr, \(fees.count - billed.count) waived")
        }
        report.nextRun = try phase("next run (dry run)") {
            let next = try database.issueRegularNotices(request(period.next, issued: context.today, dryRun: true), context: context)
            return (next, "\(next.issued) notices for \(period.next) would carry \(next.correctionLines) correction lines; \(next.refunds) refunds")
        }
        try phase("billing and indicators") {
            let billing = directory + "/billing-\(context.today.period).csv"
            let fees = try BillingExport.write(period: context.today.period, from: database, to: billing)
            let stats = directory + "/stats-\(context.today.year).html"
            let indicators = try database.indicators(range: .year(context.today.year)!)
            try FileOutput.write(Data(try IndicatorReport(indicators).html(templatesDirectory: configuration.templatesDirectory).utf8), to: stats)
            report.files = [billing, stats]
            return ((), "\(fees.count) fees → \(billing); indicators → \(stats)")
        }
        guard invoices > 0 else { return report }

        // This month's invoices from the landlords of as many head leases (and 1 % more that get
        // none): registers, the feed, its ingest, and the subscribing districts' reports.
        let month = context.today.period
        let feed = SyntheticInvoiceFeed(invoices: invoices, period: month)
        try phase("landlords and leases") {
            for landlord in SyntheticInvoiceFeed.landlords { try database.addLandlord(landlord, context: context) }
            var reader = try LeaseImportReader(bytes: feed.leasesCSV())
            let leases = try database.importLeases(from: &reader, source: "head-leases.csv", context: context)
            for code in SyntheticInvoiceFeed.subscribingDistricts {
                try database.setReconciliation(district: code, enabled: true, from: month.advanced(by: -12), context: context)
            }
            return ((), "\(SyntheticInvoiceFeed.landlords.count) landlords, \(leases) head leases; \(SyntheticInvoiceFeed.subscribingDistricts.joined(separator: ", ")) subscribe")
        }
        let feedPath = directory + "/invoices-\(month).xml"
        try phase("generate invoice feed") {
            let bytes = try feed.writeFeed(to: feedPath)
            return ((), "\(invoices) PEPPOL invoices × 5 lines, \(bytes / 1_048_576) MB → \(feedPath)")
        }
        try phase("ingest invoices") {
            let outcome = try InvoiceIngest(database: database, configuration: configuration).ingest(path: feedPath, context: context)
            return ((), "\(outcome.invoices) invoices, \(outcome.ruleFailures) rule failures, \(outcome.duplicates) duplicates")
        }
        var outboxConfiguration = configuration
        outboxConfiguration.outboxDirectory = directory + "/outbox"
        report.reconciledPeriod = month
        report.reports = try phase("reconciliation reports") {
            let written = try ReconciliationReports(configuration: outboxConfiguration).build(period: month, database: database, today: context.today)
            let discrepancies = written.filter { $0.district != ReconciliationReports.administrationFolder }.map(\.discrepancies).reduce(0, +)
            return (written, "\(written.count - 1) districts, \(discrepancies) discrepancies → \(directory)/outbox/<district>/\(month)/")
        }
        return report
    }

    /// A handful of the changes that reach back in real life: rent increases decided late (three
    /// notices: billable; one fee waived), moves reported late, a charge added a month late.
    private func retroactiveChanges(_ database: SubletDatabase, period: BillingPeriod) throws -> [Correction] {
        let first = period.advanced(by: -2).firstDay
        let prices = configuration.correctionPriceList
        /// This year's negotiated increase, 3 %, in whole kronor.
        func raised(_ contract: Contract) -> TermChange {
            let rent = contract.terms.step(of: ContractTerms.rent, on: first)?.amount ?? .zero
            let increased = (try? rent.scaled(by: 103, over: 100)) ?? rent   // a demo rent is far from any bound
            return .rent(Money(kronor: (increased.ore + 50) / 100), from: first)
        }
        let plan: [((Contract) -> TermChange, CorrectionOptions)] = [
            (raised, CorrectionOptions(priceList: prices, minutes: 45)),
            (raised, CorrectionOptions(priceList: prices, minutes: 30)),
            (raised, CorrectionOptions(priceList: prices, minutes: 60)),
            (raised, CorrectionOptions(priceList: prices, minutes: 30, waiverReason: "Felregistrering av administrationen")),
            ({ _ in .end(period.previous.firstDay.adding(days: 14)) }, CorrectionOptions(priceList: prices)),
            ({ _ in .end(period.firstDay.adding(days: 4)) }, CorrectionOptions(priceList: prices)),
            ({ _ in .charge(ChargeSpec(label: "Förråd", amount: Money(kronor: 150)), from: period.firstDay) }, CorrectionOptions(priceList: prices)),
        ]
        var corrections: [Correction] = []
        var candidate = 0
        for (change, options) in plan {
            // Contracts that start or end inside these months refuse some changes: take the next one.
            while candidate < contracts {
                candidate += 1
                let number = "L-" + String(candidate).zeroPadded(to: 7)
                guard let contract = try? database.contract(number: number),
                      let result = try? database.changeContract(number: number, change: change(contract), context: context,
                                                                basis: configuration.prorationBasis, options: options),
                      let correction = result.correction else { continue }
                corrections.append(correction)
                break
            }
        }
        return corrections
    }
}
