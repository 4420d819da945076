import GRDB
import SubletDomain

/// One row of the audit log.
public struct AuditEntry: Sendable, Equatable {
    public var at: String
    public var actor: String
    public var action: String
    public var entity: String
    public var entityKey: String?
    public var detail: String?
    /// JSON objects (personal numbers masked).
    public var before: String?
    public var after: String?
}

extension SubletDatabase {
    static let auditColumns = ["at", "actor", "action", "entity", "entityKey", "contractId", "detail", "before", "after"]

    /// Appends an audit row inside the caller's transaction.
    func audit(
        _ db: Database, context: ChangeContext, action: String, entity: String, key: String?,
        contractID: Int64? = nil, detail: String? = nil, before: String? = nil, after: String? = nil
    ) throws {
        var insert = BulkInsert(db, table: "auditLog", columns: Self.auditColumns)
        insert.bind(context.timestamp)
        insert.bind(context.actor)
        insert.bind(action)
        insert.bind(entity)
        insert.bind(key)
        if let contractID { insert.bind(contractID) } else { insert.bindNull() }
        insert.bind(detail)
        insert.bind(before)
        insert.bind(after)
        try insert.endRow()
    }

    /// The audit log, oldest first; only rows about one contract when `contractNumber` is given.
    public func auditEntries(contractNumber: String? = nil) throws -> [AuditEntry] {
        try read { db in
            var sql = "SELECT at, actor, action, entity, entityKey, detail, before, after FROM auditLog"
            var arguments: StatementArguments = []
            if let contractNumber {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM contract WHERE number = ?", arguments: [contractNumber]) else {
                    throw StorageError.notFound("contract \(contractNumber)")
                }
                sql += " WHERE contractId = ?"
                arguments = [id]
            }
            sql += " ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AuditEntry(
                    at: try row.value("at", in: "auditLog"), actor: try row.value("actor", in: "auditLog"),
                    action: try row.value("action", in: "auditLog"), entity: try row.value("entity", in: "auditLog"),
                    entityKey: try row.value("entityKey", in: "auditLog"), detail: try row.value("detail", in: "auditLog"),
                    before: try row.value("before", in: "auditLog"), after: try row.value("after", in: "auditLog")
                )
            }
        }
    }
}
