import Foundation
import SubletApp
import SubletDomain
import SubletStorage

// The JSON shapes of the commands' `--json` output (docs/cli.md), in one place with the shared
// shapes of JSONShapes.swift.

struct InitJSON: Encodable {
    var database: String
    var outcome: String
    var applied: [String]
    var schema: String
    /// The copy written before migrating.
    var backup: String?
}

struct DistrictJSON: Encodable {
    var code: String
    var name: String
    /// The reconciliation subscription's changes, oldest first.
    var reconciliation: [SubscriptionJSON]

    init(_ district: District, subscriptions: [(from: BillingPeriod, enabled: Bool)] = []) {
        code = district.code
        name = district.name
        reconciliation = subscriptions.map { SubscriptionJSON(from: $0.from.description, enabled: $0.enabled) }
    }

    struct SubscriptionJSON: Encodable {
        var from: String
        var enabled: Bool
    }
}

struct AuditEntryJSON: Encodable {
    var at: String
    var actor: String
    var action: String
    var entity: String
    @NullWhenAbsent var key: String?
    @NullWhenAbsent var detail: String?
    @NullWhenAbsent var before: [String: String?]?
    @NullWhenAbsent var after: [String: String?]?

    init(_ entry: AuditEntry) {
        at = entry.at
        actor = entry.actor
        action = entry.action
        entity = entry.entity
        key = entry.entityKey
        detail = entry.detail
        before = entry.before.flatMap(Self.object)
        after = entry.after.flatMap(Self.object)
    }

    /// The stored snapshot, a flat JSON object of strings, as an object rather than a string.
    static func object(_ text: String) -> [String: String?]? {
        try? JSONDecoder().decode([String: String?].self, from: Data(text.utf8))
    }

    enum CodingKeys: String, CodingKey { case at, actor, action, entity, key, detail, before, after }
}

struct ContractDetailJSON: Encodable {
    var contract: JSONShape.ContractJSON
    var notices: [JSONShape.NoticeJSON]
}

struct ChangeJSON: Encodable {
    var contract: JSONShape.ContractJSON
    var change: String
    @NullWhenAbsent var correction: JSONShape.CorrectionJSON?
    var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case contract, change, correction
        case dryRun = "dry_run"
    }
}

struct ContractImportJSON: Encodable {
    var file: String
    var imported: Int
    var first: String?
    var last: String?
    var catchUp: Int
    enum CodingKeys: String, CodingKey {
        case file, imported, first, last
        case catchUp = "catch_up"
    }
}

struct ExportJSON: Encodable {
    var period: String
    var notices: Int
    var total: String
    var csv: String
    var json: String
    /// The printable batches, or with `--per-notice` none.
    var batches: [String]
    /// `html/` with `--per-notice`, else null.
    @NullWhenAbsent var html: String?
}

struct CheckJSON: Encodable {
    var healthy: Bool
    var integrity: [String]
    var foreignKeys: [String]
    var totals: [String]
    var triggers: [String]
    var schema: String
    enum CodingKeys: String, CodingKey {
        case healthy, integrity
        case foreignKeys = "foreign_keys"
        case totals, triggers, schema
    }
}

struct RotateJSON: Encodable {
    var backup: String
    var removed: [String]
}

struct JobJSON: Encodable {
    var name: String
    var description: String
    var schedule: String
    var task: String
    @NullWhenAbsent var period: String?
}

struct DemoJSON: Encodable {
    var database: String
    var period: String
    var phases: [PhaseJSON]

    struct PhaseJSON: Encodable {
        var name: String
        var seconds: Double
        var detail: String
    }
}

struct LeaseImportJSON: Encodable {
    var file: String
    var imported: Int
}

struct LeaseJSON: Encodable {
    var id, landlord, objectID, district: String
    @NullWhenAbsent var kind: String?
    @NullWhenAbsent var reference: String?
    @NullWhenAbsent var address: String?
    var startDate: String
    @NullWhenAbsent var endDate: String?
    @NullWhenAbsent var rent: String?
    var rents: [JSONShape.TermStepJSON]

    init(_ lease: HeadLease, on date: CalendarDate) {
        id = lease.id
        landlord = lease.landlord
        objectID = lease.objectID
        district = lease.district
        kind = lease.kind?.rawValue
        reference = lease.reference
        address = lease.address
        startDate = lease.terms.start.description
        endDate = lease.terms.end?.description
        rent = lease.terms.step(of: ContractTerms.rent, on: max(date, lease.terms.start))?.amount?.plain
        rents = lease.terms.steps.sorted { $0.validFrom < $1.validFrom }.map {
            JSONShape.TermStepJSON(component: $0.component, validFrom: $0.validFrom.description, amount: $0.amount?.plain, vatRate: $0.vatRate)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, landlord
        case objectID = "object_id"
        case district, kind, reference, address
        case startDate = "start_date"
        case endDate = "end_date"
        case rent, rents
    }
}

struct LandlordJSON: Encodable {
    var organisationNumber: String
    var name: String
    @NullWhenAbsent var bankgiro: String?
    init(_ landlord: Landlord) {
        organisationNumber = landlord.organisationNumber.description
        name = landlord.name
        bankgiro = landlord.bankgiro?.description
    }
    enum CodingKeys: String, CodingKey {
        case organisationNumber = "organisation_number"
        case name, bankgiro
    }
}
