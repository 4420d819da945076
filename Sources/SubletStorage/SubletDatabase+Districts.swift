import GRDB
import SubletDomain

extension SubletDatabase {
    /// Adds a district; its code must be new.
    public func addDistrict(_ district: District, context: ChangeContext) throws {
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM district WHERE code = ?", arguments: [district.code]) == true {
                throw StorageError.rejected("district \(district.code) already exists")
            }
            try db.execute(
                sql: "INSERT INTO district (code, name, createdAt) VALUES (?, ?, ?)",
                arguments: [district.code, district.name, context.timestamp]
            )
            try audit(
                db, context: context, action: "district.add", entity: "district", key: district.code,
                after: AuditJSON(["code": district.code, "name": district.name]).text)
        }
    }

    /// Every district, by code.
    public func districts() throws -> [District] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT code, name FROM district ORDER BY code").map {
                District(code: try $0.value("code", in: "district"), name: try $0.value("name", in: "district"))
            }
        }
    }
}
