import GRDB
import SubletDomain

/// A contract before and after a change, and the correction the change recorded, if it reached
/// back into months already noticed.
public struct ContractChange: Sendable {
    public let before: Contract
    public let after: Contract
    public let correction: Correction?
    /// Nothing was written (`--dry-run`).
    public let dryRun: Bool
}

extension SubletDatabase {
    // MARK: - Adding

    /// Registers a new contract set up by an administrator and returns it with its number.
    public func addContract(_ draft: ContractDraft, context: ChangeContext) throws -> Contract {
        try write { db in
            var inserter = try ContractInserter(db: db, database: self, context: context, origin: .new)
            if let problem = try inserter.problems(district: draft.district, number: draft.number).first {
                throw StorageError.rejected(problem.message)
            }
            let contract = try inserter.insert(draft)
            try inserter.finish()
            return contract
        }
    }

    /// What an import did.
    public struct ImportOutcome: Sendable, Equatable {
        public var imported: Int
        public var firstNumber: String?
        public var lastNumber: String?
        /// Imported contracts active in months already run: the next run bills those months.
        public var catchUp = 0
    }

    /// Imports every row of `reader` in one transaction, or none: when any row is bad (in the file
    /// or against the register), throws `ImportProblems` listing every bad row and rolls back.
    /// `progress` is called every 1,000 rows with the number of rows read.
    ///
    /// Each imported contract gets an audit row naming `source` and its line; the contract row
    /// itself holds what was imported (a full snapshot per row would double the database).
    public func importContracts(
        from reader: inout ContractImportReader, source: String, context: ChangeContext, progress: (Int) -> Void = { _ in }
    ) throws -> ImportOutcome {
        try write { db in
            var inserter = try ContractInserter(db: db, database: self, context: context, origin: .migrated)
            let firstNew = try Schema.deferContractSearch(db)
            var problems: [ImportProblem] = []
            var outcome = ImportOutcome(imported: 0)
            let closed = try String.fetchAll(db, sql: "SELECT period FROM noticeRun ORDER BY period").compactMap(BillingPeriod.init)
            var rows = 0
            while let row = reader.next() {
                rows += 1
                if rows % 1000 == 0 { progress(rows) }
                let registerProblems = try inserter.problems(district: row.district, number: row.number).map { reader.problem(row.line, $0) }
                problems += (row.problems + registerProblems).sorted { ($0.columnNumber ?? .max) < ($1.columnNumber ?? .max) }
                // Once a row is bad nothing will be kept: only check the rest.
                if problems.isEmpty, let draft = row.draft {
                    let contract = try inserter.insert(draft, detail: "imported from \(source), line \(row.line)")
                    outcome.imported += 1
                    if outcome.firstNumber == nil { outcome.firstNumber = contract.number }
                    outcome.lastNumber = contract.number
                    if let first = closed.first, let last = closed.last, draft.terms.start <= last.lastDay,
                        (draft.terms.end ?? last.lastDay) >= first.firstDay, closed.contains(where: { draft.terms.activeRange(in: $0) != nil })
                    {
                        outcome.catchUp += 1
                    }
                }
            }
            progress(rows)
            guard problems.isEmpty else { throw ImportProblems(problems) }
            if rows == 0 { throw ImportProblems([ImportProblem(line: 2, message: "the file has a header but no contracts")]) }
            try inserter.finish()
            try Schema.indexDeferredContracts(db, from: firstNew)
            return outcome
        }
    }

    // MARK: - Reading

    /// The contract with `number`.
    public func contract(number: String) throws -> Contract {
        try read { db in try loadContract(db, number: number).contract }
    }

    /// Contracts, by number; only one district's, or only those active on a date, when asked.
    public func contracts(district: String? = nil, activeOn date: CalendarDate? = nil) throws -> [Contract] {
        try read { db in
            var filter = QueryFilter()
            if let district { filter.add("districtCode = ?", district) }
            if let date { filter.add("startDate <= ? AND (endDate IS NULL OR endDate >= ?)", date.description, date.description) }
            let records = try ContractRecord.fetchAll(
                db, sql: "SELECT * FROM contract \(filter.whereClause) ORDER BY number",
                arguments: filter.arguments)
            let steps = try Self.termSteps(db, contractsWhere: filter)
            return records.map { $0.contract(steps: steps[$0.id] ?? []) }
        }
    }

    // MARK: - Changing

    /// Applies `change` to the contract's terms. When the change alters months already noticed,
    /// records a correction for them in the same transaction (and the district's fee, when the
    /// price list makes it billable). A dry run computes everything and writes nothing.
    public func changeContract(
        number: String, change: TermChange, context: ChangeContext, basis: ProrationBasis,
        options: CorrectionOptions = CorrectionOptions()
    ) throws -> ContractChange {
        let body = { (db: Database) throws -> ContractChange in
            let (id, before) = try loadContract(db, number: number)
            let terms = try before.terms.applying(change)
            var after = before
            after.terms = terms
            var correction = try planCorrection(
                db, contractID: id, before: before, after: after, change: change, context: context,
                basis: basis, options: options)
            if options.dryRun { return ContractChange(before: before, after: after, correction: correction, dryRun: true) }
            try replaceTerms(db, contractID: id, terms: terms)
            if var planned = correction {
                try record(&planned, db: db, contractID: id, context: context)
                correction = planned
            }
            let action: String =
                switch change {
                case .end: "contract.end"
                case .start: "contract.change-start"
                default: "contract.change"
                }
            let detail = change.description + (correction.map { "; correction \($0.number ?? "")" } ?? "")
            try audit(
                db, context: context, action: action, entity: "contract", key: number, contractID: id,
                detail: detail, before: snapshot(before), after: snapshot(after))
            return ContractChange(before: before, after: after, correction: correction, dryRun: false)
        }
        return options.dryRun ? try read(body) : try write(body)
    }

    // MARK: - Rows and records

    func loadContract(_ db: Database, number: String) throws -> (id: Int64, contract: Contract) {
        guard let record = try ContractRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM contract WHERE number = ?"), arguments: [number]) else {
            throw StorageError.notFound("contract \(number)")
        }
        return (record.id, record.contract(steps: try Self.termSteps(db, contractIDs: record.id...record.id)[record.id] ?? []))
    }

    /// Rewrites the contract's dates and price steps inside a recorded change: the contract is
    /// marked in `termsChange` for the rewrite, which the protective triggers require when the
    /// change reaches months already noticed (Schema v4).
    func replaceTerms(_ db: Database, contractID: Int64, terms: ContractTerms) throws {
        try db.cachedStatement(sql: "INSERT INTO termsChange (contractId) VALUES (?)").execute(arguments: [contractID])
        defer { _ = try? db.cachedStatement(sql: "DELETE FROM termsChange WHERE contractId = ?").execute(arguments: [contractID]) }
        try db.cachedStatement(sql: "UPDATE contract SET startDate = ?, endDate = ? WHERE id = ?")
            .execute(arguments: [terms.start.description, terms.end?.description, contractID])
        try db.cachedStatement(sql: "DELETE FROM contractTerm WHERE contractId = ?").execute(arguments: [contractID])
        let insert = try db.cachedStatement(
            sql: "INSERT INTO contractTerm (contractId, component, validFrom, amount, vatRate) VALUES (?, ?, ?, ?, ?)")
        for step in terms.steps {
            try insert.execute(arguments: [contractID, step.component, step.validFrom.description, step.amount?.ore, step.vatRate])
        }
    }

    /// An audit snapshot of a contract; the personal number masked.
    func snapshot(_ contract: Contract) -> String {
        let steps = contract.terms.steps.sorted { ($0.validFrom, $0.component) < ($1.validFrom, $1.component) }.map { step in
            "\(step.component)=\(step.amount?.plain ?? "removed")\(step.vatRate == 0 ? "" : "@\(step.vatRate)") from \(step.validFrom)"
        }
        return AuditJSON([
            "number": contract.number, "district": contract.district, "tenant_name": contract.tenantName,
            "personal_number": contract.personalNumber.masked, "address": contract.address, "object_id": contract.objectID,
            "start_date": contract.terms.start.description, "end_date": contract.terms.end?.description,
            "terms": steps.joined(separator: "; "), "origin": contract.origin.rawValue,
        ]).text
    }
}

/// Inserts contracts with prepared statements; shared by `contract add` and `contract import`.
struct ContractInserter {
    let db: Database
    let database: SubletDatabase
    let context: ChangeContext
    let origin: Contract.Origin
    private let districts: Set<String>
    private var numbering: DocumentNumbering
    private let startNumber: Int
    private let today: String
    private var contractInsert: BulkInsert
    private var termInsert: BulkInsert
    private var auditInsert: BulkInsert

    init(db: Database, database: SubletDatabase, context: ChangeContext, origin: Contract.Origin) throws {
        self.db = db
        self.database = database
        self.context = context
        self.origin = origin
        districts = try Set(String.fetchAll(db, sql: "SELECT code FROM district"))
        numbering = try SubletDatabase.numbering(db, .contracts)
        startNumber = numbering.last
        today = context.today.description
        // One contract per statement: its id is read back for the terms and the audit row.
        contractInsert = BulkInsert(
            db, table: "contract",
            columns: [
                "number", "districtCode", "tenantName", "personalNumber", "address", "objectId", "startDate", "endDate",
                "origin", "registeredAt", "registeredOn",
            ])
        termInsert = BulkInsert(
            db, table: "contractTerm", columns: ["contractId", "component", "validFrom", "amount", "vatRate"], rowsPerStatement: 100)
        auditInsert = BulkInsert(db, table: "auditLog", columns: SubletDatabase.auditColumns, rowsPerStatement: 100)
    }

    /// What makes a contract with this district and number impossible in this register.
    func problems(district: String?, number: String?) throws -> [FieldProblem<ContractField>] {
        var problems: [FieldProblem<ContractField>] = []
        if let district, !districts.contains(district) {
            problems.append(FieldProblem(.district, "district \(district) does not exist (add it with `sublet district add`)"))
        }
        if let number,
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM contract WHERE number = ?"), arguments: [number]) == true
        {
            problems.append(FieldProblem(.contractNumber, "contract number \(number) already exists in the register"))
        }
        return problems
    }

    /// Inserts `draft`. The audit row carries a full snapshot, or only `detail` when given.
    mutating func insert(_ draft: ContractDraft, detail: String? = nil) throws -> Contract {
        let number: String
        if let given = draft.number {
            number = given
            // A carried-over number in our own series moves the series past it: numbers are never reused.
            numbering.observe(given)
        } else {
            number = numbering.next()
        }
        contractInsert.bind(number)
        contractInsert.bind(draft.district)
        contractInsert.bind(draft.tenantName)
        contractInsert.bind(draft.personalNumber.digits)
        contractInsert.bind(draft.address)
        contractInsert.bind(draft.objectID)
        contractInsert.bind(draft.terms.start.description)
        contractInsert.bind(draft.terms.end?.description)
        contractInsert.bind(origin.rawValue)
        contractInsert.bind(context.timestamp)
        contractInsert.bind(today)
        try contractInsert.endRow()
        let id = db.lastInsertedRowID
        for step in draft.terms.steps {
            termInsert.bind(id)
            termInsert.bind(step.component)
            termInsert.bind(step.validFrom.description)
            termInsert.bind(step.amount?.ore)
            termInsert.bind(step.vatRate)
            try termInsert.endRow()
        }
        let contract = Contract(
            number: number, district: draft.district, tenantName: draft.tenantName, personalNumber: draft.personalNumber,
            address: draft.address, objectID: draft.objectID, terms: draft.terms, origin: origin, registeredOn: context.today
        )
        auditInsert.bind(context.timestamp)
        auditInsert.bind(context.actor)
        auditInsert.bind(origin == .new ? "contract.add" : "contract.import")
        auditInsert.bind("contract")
        auditInsert.bind(number)
        auditInsert.bind(id)
        auditInsert.bind(detail)
        auditInsert.bindNull()
        auditInsert.bind(detail == nil ? database.snapshot(contract) : nil)
        try auditInsert.endRow()
        return contract
    }

    /// Writes what is still pending and saves the number series; call once after the last insert.
    mutating func finish() throws {
        try termInsert.flush()
        try auditInsert.flush()
        guard numbering.last != startNumber else { return }
        try SubletDatabase.save(numbering, db)
    }
}
