import GRDB
import SubletDomain

extension SubletDatabase {
    // MARK: - Landlords

    public func addLandlord(_ landlord: Landlord, context: ChangeContext) throws {
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM landlord WHERE organisationNumber = ?", arguments: [landlord.organisationNumber.digits])
                == true
            {
                throw StorageError.rejected("landlord \(landlord.organisationNumber) already exists")
            }
            try db.execute(
                sql: "INSERT INTO landlord (organisationNumber, name, bankgiro, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [landlord.organisationNumber.digits, landlord.name, landlord.bankgiro?.digits, context.timestamp])
            try audit(
                db, context: context, action: "landlord.add", entity: "landlord", key: landlord.organisationNumber.description,
                after: AuditJSON([
                    "organisation_number": landlord.organisationNumber.description, "name": landlord.name,
                    "bankgiro": landlord.bankgiro?.description,
                ]).text)
        }
    }

    public func landlords() throws -> [Landlord] {
        try read { db in try loadLandlords(db) }
    }

    func loadLandlords(_ db: Database) throws -> [Landlord] {
        try Row.fetchAll(db, sql: "SELECT organisationNumber, name, bankgiro FROM landlord ORDER BY name").map { row in
            let bankgiro: String? = try row.value("bankgiro", in: "landlord")
            return Landlord(
                organisationNumber: try OrganisationNumber(parsing: try row.value("organisationNumber", in: "landlord")),
                name: try row.value("name", in: "landlord"),
                bankgiro: try bankgiro.map { try BankgiroNumber(parsing: $0) })
        }
    }

    // MARK: - Leases

    /// Registers a head lease; `id` nil assigns the next `HL-NNNNNN`.
    public func addLease(_ lease: HeadLease, id: String?, context: ChangeContext) throws -> HeadLease {
        try write { db in
            var inserter = try LeaseInserter(db: db, database: self, context: context)
            if let problem = try inserter.problems(lease: lease, id: id).first { throw StorageError.rejected(problem.message) }
            let stored = try inserter.insert(lease, id: id, detail: nil)
            try inserter.finish()
            return stored
        }
    }

    /// Imports every row of `reader` in one transaction, or none (as `importContracts`).
    public func importLeases(from reader: inout LeaseImportReader, source: String, context: ChangeContext) throws -> Int {
        try write { db in
            var inserter = try LeaseInserter(db: db, database: self, context: context)
            var problems: [ImportProblem] = []
            var imported = 0
            var rows = 0
            while let row = reader.next() {
                rows += 1
                var rowProblems = row.problems
                let registerProblems =
                    try row.lease.map { try inserter.problems(lease: $0, id: row.id) }
                    ?? inserter.problems(landlord: row.landlord, district: row.district)
                rowProblems += registerProblems.map { reader.problem(row.line, $0.field, $0.message) }
                problems += rowProblems
                if problems.isEmpty, let lease = row.lease {
                    _ = try inserter.insert(lease, id: row.id, detail: "imported from \(source), line \(row.line)")
                    imported += 1
                }
            }
            guard problems.isEmpty else { throw ImportProblems(problems) }
            if rows == 0 { throw ImportProblems([ImportProblem(line: 2, message: "the file has a header but no leases")]) }
            try inserter.finish()
            return imported
        }
    }

    /// Head leases, by id; one district's when given.
    public func leases(district: String? = nil) throws -> [HeadLease] {
        try read { db in try loadLeases(db, district: district) }
    }

    public func lease(id: String) throws -> HeadLease {
        try read { db in
            guard let lease = try loadLeases(db, id: id).first else { throw StorageError.notFound("lease \(id)") }
            return lease
        }
    }

    /// A new rent from a date, or an end date: the terms change, the history stays in the audit log.
    public func changeLease(id: String, change: TermChange, context: ChangeContext) throws -> HeadLease {
        try write { db in
            guard var lease = try loadLeases(db, id: id).first else { throw StorageError.notFound("lease \(id)") }
            let before = lease
            lease.terms = try lease.terms.applying(change)
            try db.execute(
                sql: "UPDATE lease SET startDate = ?, endDate = ? WHERE id = ?",
                arguments: [lease.terms.start.description, lease.terms.end?.description, id])
            try db.execute(sql: "DELETE FROM leaseRent WHERE leaseId = ?", arguments: [id])
            for step in lease.terms.steps where step.component == ContractTerms.rent {
                try db.execute(
                    sql: "INSERT INTO leaseRent (leaseId, validFrom, rent) VALUES (?, ?, ?)",
                    arguments: [id, step.validFrom.description, step.amount?.ore ?? 0])
            }
            try audit(
                db, context: context, action: "lease.change", entity: "lease", key: id, detail: change.description,
                before: leaseSnapshot(before), after: leaseSnapshot(lease))
            return lease
        }
    }

    func loadLeases(_ db: Database, district: String? = nil, id: String? = nil) throws -> [HeadLease] {
        var filter = QueryFilter()
        if let district { filter.add("districtCode = ?", district) }
        if let id { filter.add("id = ?", id) }
        var rents: [String: [TermStep]] = [:]
        let rentSQL =
            id == nil ? "SELECT leaseId, validFrom, rent FROM leaseRent" : "SELECT leaseId, validFrom, rent FROM leaseRent WHERE leaseId = ?"
        for row in try Row.fetchAll(db, sql: rentSQL, arguments: id == nil ? [] : [id]) {
            let step = TermStep(
                component: ContractTerms.rent, validFrom: try row.value("validFrom", in: "leaseRent"),
                amount: try row.value("rent", in: "leaseRent"))
            rents[try row.value("leaseId", in: "leaseRent"), default: []].append(step)
        }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM lease \(filter.whereClause) ORDER BY id
                """, arguments: filter.arguments
        ).map { row in
            let id: String = try row.value("id", in: "lease")
            return HeadLease(
                id: id, landlord: try row.value("landlord", in: "lease"), objectID: try row.value("objectId", in: "lease"),
                district: try row.value("districtCode", in: "lease"), kind: try row.value("kind", in: "lease"),
                reference: try row.value("reference", in: "lease"), address: try row.value("address", in: "lease"),
                terms: ContractTerms(
                    start: try row.value("startDate", in: "lease"), end: try row.value("endDate", in: "lease"),
                    steps: rents[id] ?? []))
        }
    }

    func leaseSnapshot(_ lease: HeadLease) -> String {
        let rents = lease.terms.steps.sorted { $0.validFrom < $1.validFrom }.map { "\($0.amount?.plain ?? "0") from \($0.validFrom)" }
        return AuditJSON([
            "id": lease.id, "landlord": lease.landlord, "object_id": lease.objectID, "district": lease.district,
            "kind": lease.kind?.rawValue, "reference": lease.reference, "address": lease.address,
            "start_date": lease.terms.start.description, "end_date": lease.terms.end?.description, "rent": rents.joined(separator: "; "),
        ]).text
    }

    // MARK: - The add-on subscription

    /// From `period` on, the district does (or does not) buy reconciliation.
    public func setReconciliation(district: String, enabled: Bool, from period: BillingPeriod, context: ChangeContext) throws {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM district WHERE code = ?", arguments: [district]) == true else {
                throw StorageError.notFound("district \(district)")
            }
            try db.execute(
                sql: """
                    INSERT INTO reconciliationSubscription (districtCode, fromPeriod, enabled) VALUES (?, ?, ?)
                    ON CONFLICT(districtCode, fromPeriod) DO UPDATE SET enabled = excluded.enabled
                    """, arguments: [district, period.description, enabled])
            try audit(
                db, context: context, action: "district.reconciliation", entity: "district", key: district,
                detail: "reconciliation \(enabled ? "on" : "off") from \(period)")
        }
    }

    /// Every district's subscription history, oldest change first.
    public func reconciliationSubscriptions() throws -> [String: [(from: BillingPeriod, enabled: Bool)]] {
        try read { db in
            var result: [String: [(from: BillingPeriod, enabled: Bool)]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT districtCode, fromPeriod, enabled FROM reconciliationSubscription ORDER BY districtCode, fromPeriod")
            {
                let period: BillingPeriod = try row.value("fromPeriod", in: "reconciliationSubscription")
                result[try row.value("districtCode", in: "reconciliationSubscription"), default: []].append(
                    (period, try row.value("enabled", in: "reconciliationSubscription")))
            }
            return result
        }
    }

    /// The districts that buy reconciliation in `period`.
    public func subscribedDistricts(in period: BillingPeriod) throws -> [District] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.code, d.name FROM district d
                    WHERE (SELECT s.enabled FROM reconciliationSubscription s
                           WHERE s.districtCode = d.code AND s.fromPeriod <= ? ORDER BY s.fromPeriod DESC LIMIT 1) = 1
                    ORDER BY d.code
                    """, arguments: [period.description]
            ).map { District(code: try $0.value("code", in: "district"), name: try $0.value("name", in: "district")) }
        }
    }
}

/// Inserts head leases; shared by `lease add` and `lease import`.
struct LeaseInserter {
    let db: Database
    let database: SubletDatabase
    let context: ChangeContext
    private let districts: Set<String>
    private let landlords: Set<String>
    private var numbering: DocumentNumbering
    private let startNumber: Int
    private var seenIDs: Set<String> = []
    private var seenObjects: Set<String> = []

    init(db: Database, database: SubletDatabase, context: ChangeContext) throws {
        self.db = db
        self.database = database
        self.context = context
        districts = try Set(String.fetchAll(db, sql: "SELECT code FROM district"))
        landlords = try Set(String.fetchAll(db, sql: "SELECT organisationNumber FROM landlord"))
        numbering = try SubletDatabase.numbering(db, .leases)
        startNumber = numbering.last
    }

    /// A landlord or district the register does not have (either may be unknown: not checked).
    func problems(landlord: String?, district: String?) -> [FieldProblem<LeaseField>] {
        var problems: [FieldProblem<LeaseField>] = []
        if let landlord, !landlords.contains(landlord) {
            problems.append(FieldProblem(.landlord, "landlord \(landlord) is not registered (add it with `sublet landlord add`)"))
        }
        if let district, !districts.contains(district) {
            problems.append(FieldProblem(.district, "district \(district) does not exist (add it with `sublet district add`)"))
        }
        return problems
    }

    func problems(lease: HeadLease, id: String?) throws -> [FieldProblem<LeaseField>] {
        var problems = problems(landlord: lease.landlord, district: lease.district)
        if let id, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM lease WHERE id = ?"), arguments: [id]) == true || seenIDs.contains(id) {
            problems.append(FieldProblem<LeaseField>(.id, "lease \(id) already exists"))
        }
        let object = lease.landlord + "/" + lease.objectID
        if try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM lease WHERE landlord = ? AND objectId = ?"), arguments: [lease.landlord, lease.objectID]) == true
            || seenObjects.contains(object)
        {
            problems.append(FieldProblem<LeaseField>(.objectID, "the landlord's object \(lease.objectID) already has a lease"))
        }
        return problems
    }

    mutating func insert(_ lease: HeadLease, id given: String?, detail: String?) throws -> HeadLease {
        var stored = lease
        if let given {
            stored.id = given
            numbering.observe(given)
        } else {
            stored.id = numbering.next()
        }
        seenIDs.insert(stored.id)
        seenObjects.insert(stored.landlord + "/" + stored.objectID)
        try db.cachedStatement(
            sql: """
                INSERT INTO lease (id, landlord, objectId, districtCode, kind, reference, address, startDate, endDate, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            stored.id, stored.landlord, stored.objectID, stored.district, stored.kind?.rawValue, stored.reference,
            stored.address, stored.terms.start.description, stored.terms.end?.description, context.timestamp,
        ])
        for step in stored.terms.steps where step.component == ContractTerms.rent {
            try db.cachedStatement(sql: "INSERT INTO leaseRent (leaseId, validFrom, rent) VALUES (?, ?, ?)")
                .execute(arguments: [stored.id, step.validFrom.description, step.amount?.ore ?? 0])
        }
        try database.audit(
            db, context: context, action: detail == nil ? "lease.add" : "lease.import", entity: "lease", key: stored.id,
            detail: detail, after: detail == nil ? database.leaseSnapshot(stored) : nil)
        return stored
    }

    func finish() throws {
        guard numbering.last != startNumber else { return }
        try SubletDatabase.save(numbering, db)
    }
}
