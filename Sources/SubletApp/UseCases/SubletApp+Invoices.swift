import Foundation
import SubletDomain
import SubletStorage

// The landlords' invoices: ingest, reconciliation and the districts' reports.
extension SubletApp {
    /// Takes one file in, in one transaction (the same file again is a no-op). Throws `FeedError`
    /// when the file is rejected or cannot be read.
    public func ingest(file path: String, progress: (FileProgress) -> Void = { _ in }) throws -> IngestOutcome {
        try InvoiceIngest(database: database, configuration: settings).ingest(path: path, context: context, progress: progress)
    }

    /// The reconciler the settings and today's date make.
    public var reconciler: Reconciler {
        Reconciler(tolerance: settings.reconciliation.tolerance, graceDays: settings.reconciliation.graceDays, today: clock.today)
    }

    /// A month reconciled (default: last month), one district's leases or all.
    public func reconcile(_ period: BillingPeriod? = nil, district: String? = nil) throws -> Reconciliation {
        try database.reconcile(period: period ?? clock.lastMonth, district: district, reconciler: reconciler)
    }

    /// Writes a month's reports (default: last month): every subscribing district's and the
    /// administration's.
    public func buildReports(for period: BillingPeriod? = nil) throws -> [ReconciliationReports.Written] {
        try ReconciliationReports(settings: settings).build(
            period: period ?? clock.lastMonth, database: database, reconciler: reconciler, generated: SystemClock.stockholmMinute(of: clock.now))
    }
}
