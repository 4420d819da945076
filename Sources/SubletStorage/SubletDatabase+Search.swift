import GRDB
import SubletDomain

/// One thing `sublet find` found.
public struct SearchHit: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case contract, lease, notice, invoice
    }

    public var kind: Kind
    /// What names it on the command line: a contract or notice number, a lease id, an invoice's id.
    public var key: String
    public var district: String?
    /// A line to recognise it by; personal numbers masked.
    public var summary: String
}

extension SubletDatabase {
    /// What `query` finds: notices (by number or OCR reference) and invoices (by number) first,
    /// then contracts and leases from the full-text index in the register's order (contract
    /// numbers, then leases: ranking a street's 2,000 contracts by bm25 cost more than the rest of
    /// the query and told the reader nothing); at most `limit`.
    public func find(_ query: SearchQuery, limit: Int) throws -> [SearchHit] {
        try read { db in
            var hits: [SearchHit] = []
            if let identifier = query.identifier {
                hits += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT n.number, n.period, n.ocr, c.number AS contract, c.districtCode, c.tenantName FROM notice n
                        JOIN contract c ON c.id = n.contractId WHERE n.number = ?1 OR n.ocr = ?1
                        """, arguments: [identifier]
                ).map { row in
                    SearchHit(
                        kind: .notice, key: row["number"], district: row["districtCode"],
                        summary:
                            "\(row["period"] as String) OCR \(row["ocr"] as String), contract \(row["contract"] as String), \(row["tenantName"] as String)"
                    )
                }
                hits += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT i.id, i.number, i.sellerName, i.issueDate, i.payable FROM invoice i
                        WHERE i.number = ? ORDER BY i.issueDate DESC LIMIT ?
                        """, arguments: [identifier, limit]
                ).map { row in
                    SearchHit(
                        kind: .invoice, key: String(row["id"] as Int64), district: nil,
                        summary: "invoice \(row["number"] as String) from \(row["sellerName"] as String? ?? "?"), \(row["issueDate"] as String), "
                            + "\(Money(ore: row["payable"]).swedish) kr")
                }
            }
            if let expression = query.fullText, hits.count < limit {
                hits += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.kind, s.key,
                            c.districtCode AS contractDistrict, c.tenantName, c.personalNumber, c.address AS contractAddress,
                            c.startDate, c.endDate,
                            l.districtCode AS leaseDistrict, l.objectId, l.address AS leaseAddress, ll.name AS landlordName
                        FROM registerSearch s
                        LEFT JOIN contract c ON s.kind = 'contract' AND c.number = s.key
                        LEFT JOIN lease l ON s.kind = 'lease' AND l.id = s.key
                        LEFT JOIN landlord ll ON ll.organisationNumber = l.landlord
                        WHERE registerSearch MATCH ? LIMIT ?
                        """, arguments: [expression, limit - hits.count]
                ).map(Self.registerHit)
            }
            return Array(hits.prefix(limit))
        }
    }

    private static func registerHit(_ row: Row) -> SearchHit {
        let key: String = row["key"]
        if row["kind"] as String == "lease" {
            return SearchHit(
                kind: .lease, key: key, district: row["leaseDistrict"],
                summary: "object \(row["objectId"] as String? ?? "?"), \(row["leaseAddress"] as String? ?? "no address"), "
                    + "landlord \(row["landlordName"] as String? ?? "?")")
        }
        let end: String? = row["endDate"]
        return SearchHit(
            kind: .contract, key: key, district: row["contractDistrict"],
            summary: "\(row["tenantName"] as String? ?? "?"), \(PersonalNumber.mask(digits: row["personalNumber"] as String? ?? "")), "
                + "\(row["contractAddress"] as String? ?? "?"), \(row["startDate"] as String? ?? "?")–\(end ?? "")")
    }
}
