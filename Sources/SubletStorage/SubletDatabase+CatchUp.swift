import GRDB
import SubletDomain

extension SubletDatabase {
    /// The closed months (the monthly job has run for them) in which `terms` are active: what the
    /// next run bills as catch-up notices for a contract registered now.
    public func closedMonths(activeUnder terms: ContractTerms) throws -> [BillingPeriod] {
        try read { db in try Self.closedMonths(db).filter { terms.activeRange(in: $0) != nil } }
    }
}
