import Foundation
import SubletApp
import SubletDomain
import SubletStorage

extension Demo {
    /// What the payment phases found, for the demo's closing lines.
    public struct PaymentsReport: Sendable {
        public var queue: [(payment: StoredPayment, suggestions: [PaymentSuggestion])] = []
        /// The notices owing on `debtsOn` (the demo's today).
        public var debts: [OwedNotice] = []
        public var debtsOn: CalendarDate?
        public var forfeiture: [OwedNotice] = []
        public var forfeitureDate: CalendarDate?
    }

    /// Last month's notices paid through a BgMax file, this month's through camt.054 (with the
    /// mistakes real payers make), both imported; then the queue, the debts and the forfeiture
    /// list as it will stand on the watch date of this month's notices.
    func payments(_ app: SubletApp, timer: inout PhaseTimer) throws -> PaymentsReport {
        func phase<T>(_ name: String, _ body: () throws -> (T, String)) rethrows -> T { try timer.time(name, body) }
        let today = app.clock.today
        let bankgiro = app.settings.payee.bankgiro.description
        let thisMonth = try app.database.regularNotices(period: today.period)
        let lastMonth = try app.database.regularNotices(period: today.period.previous)
        let camtPath = directory + "/payments-\(today.period).xml"
        let bgmaxPath = directory + "/bgmax-\(today.period.previous).txt"
        try phase("generate payment files") {
            let bgmax = try SyntheticPayments(notices: lastMonth, today: today.period.firstDay, payeeBankgiro: bankgiro).writeBgMax(to: bgmaxPath)
            let camt = try SyntheticPayments(notices: thisMonth, today: today, payeeBankgiro: bankgiro).writeCamt(to: camtPath)
            return ((), "BgMax for \(lastMonth.count) notices (\(bgmax / 1_048_576) MB), camt.054 for \(thisMonth.count) (\(camt / 1_048_576) MB)")
        }
        for (name, path) in [("import BgMax", bgmaxPath), ("import camt.054", camtPath)] {
            try phase(name) {
                let result = try app.importPayments(file: path)
                return ((), "\(result.outcome.payments) payments: \(result.outcome.tiers)")
            }
        }
        var report = PaymentsReport()
        try phase("queue, debts, watch") {
            report.queue = try app.unidentifiedPayments()
            report.debts = try app.debts()
            report.debtsOn = today
            let due = thisMonth.map(\.dueDate).max() ?? today
            let watch = ForfeitureWatch.watchDate(dueDate: due)
            report.forfeitureDate = watch
            report.forfeiture = try app.forfeitureList(on: watch)
            let owed = try report.debts.map(\.balance).sum()
            return (
                (),
                "\(report.queue.count) in the queue, \(report.debts.count) notices owe \(owed.swedish) kr, \(report.forfeiture.count) on the forfeiture list on \(watch)"
            )
        }
        return report
    }
}
