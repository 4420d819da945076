import Foundation
import SubletDomain
import SubletStorage

/// An input file that is missing or unreadable (exit 66).
public struct InputFileError: Error, Sendable, CategorizedError {
    public let description: String
    public init(path: String, reason: String) { description = "\(Quote.escapingControlCharacters(path)): \(reason)" }
    public init(_ message: String) { description = message }
    public var category: ErrorCategory { .missingInput }

    /// The file's bytes, or the error saying why there are none.
    public static func read(_ path: String) throws(InputFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputFileError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        return [UInt8](data)
    }
}

// The register: districts, contracts, landlords and head leases.
extension SubletApp {
    /// Adds a district office.
    public func addDistrict(_ district: District) throws {
        try database.addDistrict(district, context: context)
    }

    /// The district buys (or stops buying) the reconciliation service from a month.
    public func setReconciliation(district: String, enabled: Bool, from period: BillingPeriod) throws {
        try database.setReconciliation(district: district, enabled: enabled, from: period, context: context)
    }

    /// Sets up a contract. `missedMonths`: months already run in which it is active, which the
    /// next run bills as catch-up notices.
    public func addContract(_ input: ContractInput) throws -> (contract: Contract, missedMonths: [BillingPeriod]) {
        let draft = try ContractDraft.validate(input, today: clock.today).get()
        let contract = try database.addContract(draft, context: context)
        return (contract, try database.closedMonths(activeUnder: contract.terms))
    }

    /// Imports the legacy register's CSV export, all or nothing; `progress` hears the rows read.
    public func importContracts(file path: String, progress: (Int) -> Void = { _ in }) throws -> SubletDatabase.ImportOutcome {
        let bytes = try InputFileError.read(path)
        var reader = try ContractImportReader(bytes: bytes, today: clock.today)
        return try database.importContracts(from: &reader, source: URL(fileURLWithPath: path).lastPathComponent, context: context, progress: progress)
    }

    /// Applies a change to a contract's terms; back in time it records the correction (and the
    /// district's fee) in the same transaction. A dry run plans and writes nothing.
    public func changeContract(
        _ number: String, _ change: TermChange, minutes: Int? = nil, waiverReason: String? = nil,
        dryRun: Bool = false
    ) throws -> ContractChange {
        let options = CorrectionOptions(priceList: settings.priceList, minutes: minutes, waiverReason: waiverReason, dryRun: dryRun)
        return try database.changeContract(number: number, change: change, context: context, basis: settings.notices.proration, options: options)
    }

    public func addLandlord(_ landlord: Landlord) throws {
        try database.addLandlord(landlord, context: context)
    }

    /// Registers a head lease from its fields as typed.
    public func addLease(_ values: [LeaseField: String]) throws -> HeadLease {
        let validated = try HeadLease.validate(LeaseInput(values)).get()
        return try database.addLease(validated.lease, id: validated.id, context: context)
    }

    /// Imports head leases from CSV, all or nothing; returns how many.
    public func importLeases(file path: String) throws -> Int {
        var reader = try LeaseImportReader(bytes: try InputFileError.read(path))
        return try database.importLeases(from: &reader, source: URL(fileURLWithPath: path).lastPathComponent, context: context)
    }

    public func changeLease(_ id: String, _ change: TermChange) throws -> HeadLease {
        try database.changeLease(id: id, change: change, context: context)
    }
}

extension SubletApp {
    /// What `text` finds in the register: contracts, leases, notices and invoices
    /// (`SearchQuery`); personal numbers masked. At most `limit`.
    public func find(_ text: String, limit: Int = 20) throws -> [SearchHit] {
        try database.find(SearchQuery(text, today: clock.today), limit: limit)
    }
}
