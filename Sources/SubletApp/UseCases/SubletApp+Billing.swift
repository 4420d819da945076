import Foundation
import SubletDomain
import SubletStorage

// Notices, their export, the districts' fees and the indicators.
extension SubletApp {
    /// The monthly run (default: next month): notices planned by the domain, written in one
    /// transaction; a dry run plans and writes nothing.
    /// `progress` hears (contracts gone through, contracts in the register).
    public func issueNotices(
        for period: BillingPeriod? = nil, dryRun: Bool = false, progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) throws -> NoticeRunReport {
        let request = NoticeRunRequest(
            period: period ?? clock.nextMonth, issueDate: clock.today, minimumDays: settings.notices.minimumDays,
            basis: settings.notices.proration, ocrLengthDigit: settings.notices.ocrLengthDigit, dryRun: dryRun)
        let report = try database.issueRegularNotices(request, context: context, progress: progress)
        // Credit standing on contracts pays the notices just issued (payments.overpayment).
        if !dryRun, report.issued > 0 { try database.applyCredits(policy: settings.payments.overpayment, context: context) }
        return report
    }

    /// The print house's files for a month (`notices export`).
    /// `progress` hears (notices written, notices of the period).
    public func exportNotices(
        for period: BillingPeriod, to directory: String, perNotice: Bool = false, progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) throws -> NoticeExport.Summary {
        let total = try database.noticeCount(period: period)
        return try NoticeExport(configuration: settings).export(period: period, from: database, to: directory, perNotice: perNotice) {
            progress($0, total)
        }
    }

    /// What `billing export` wrote.
    public struct BillingResult: Sendable {
        public var period: BillingPeriod
        public var file: String
        public var fees: [FeeEntry]
        public var total: Money
        /// The districts' totals, beside `file`.
        public var summaryFile: String { BillingExport.summaryPath(file) }
    }

    /// The finance system's file of a month's fees (default: last month, into
    /// `paths.outbox/billing/`): billing the districts.
    public func billFees(for period: BillingPeriod? = nil, to file: String? = nil) throws -> BillingResult {
        let month = period ?? clock.lastMonth
        let path = file ?? BillingExport.defaultPath(settings, period: month)
        let billed = try BillingExport.write(period: month, from: database, to: path)
        return BillingResult(period: month, file: path, fees: billed, total: try billed.map(\.amount).sum())
    }

    /// The operational plan's indicators over a range (default: this year).
    public func indicators(over range: ReportingRange? = nil, district: String? = nil) throws -> IndicatorReport {
        let range = range ?? ReportingRange.year(clock.today.year) ?? .month(clock.thisMonth)
        return IndicatorReport(try database.indicators(range: range, district: district))
    }
}
