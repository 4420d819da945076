import GRDB
import SubletDomain

/// The indicators of a range, per district and month.
public struct Indicators: Sendable, Equatable {
    public var range: ReportingRange
    /// District code → name, for every district in the report.
    public var districts: [District]
    /// (district code, month) → figures.
    public var cells: [String: [BillingPeriod: IndicatorFigures]]

    public func figures(district: String) throws(MoneyOverflow) -> IndicatorFigures {
        try Self.sum((cells[district] ?? [:]).values)
    }

    public func figures(month: BillingPeriod) throws(MoneyOverflow) -> IndicatorFigures {
        try Self.sum(cells.values.compactMap { $0[month] })
    }

    public func total() throws(MoneyOverflow) -> IndicatorFigures {
        var months: [IndicatorFigures] = []
        for period in range.periods { months.append(try figures(month: period)) }
        return try Self.sum(months)
    }

    private static func sum(_ figures: some Sequence<IndicatorFigures>) throws(MoneyOverflow) -> IndicatorFigures {
        var total = IndicatorFigures()
        for item in figures { total = try total + item }
        return total
    }
}

extension SubletDatabase {
    /// Counts the operational plan's indicators over `range` (one district's, when given).
    public func indicators(range: ReportingRange, district: String? = nil) throws -> Indicators {
        try read { db in
            var districts = try Row.fetchAll(db, sql: "SELECT code, name FROM district ORDER BY code").map { District(code: $0["code"], name: $0["name"]) }
            if let district {
                districts = districts.filter { $0.code == district }
                guard !districts.isEmpty else { throw StorageError.notFound("district \(district)") }
            }
            var result = Indicators(range: range, districts: districts, cells: [:])
            let firstDay = range.first.firstDay.description, lastDay = range.last.lastDay.description
            let first = range.first.description, last = range.last.description
            func add(_ sql: String, _ arguments: StatementArguments, _ apply: (inout IndicatorFigures, Row) throws -> Void) throws {
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    let code: String = row[0]
                    guard district == nil || code == district, let period = BillingPeriod(row[1] as String) else { continue }
                    try apply(&result.cells[code, default: [:]][period, default: IndicatorFigures()], row)
                }
            }
            try add("""
                SELECT k.districtCode, n.period, count(*) FROM notice n JOIN contract k ON k.id = n.contractId
                WHERE n.kind = 'regular' AND n.period BETWEEN ? AND ? GROUP BY 1, 2
                """, [first, last]) { $0.administeredContracts += $1[2] }
            try add("""
                SELECT districtCode, substr(registeredOn, 1, 7), count(*) FROM contract
                WHERE origin = 'new' AND registeredOn BETWEEN ? AND ? GROUP BY 1, 2
                """, [firstDay, lastDay]) { $0.newContracts += $1[2] }
            try add("""
                SELECT k.districtCode, substr(n.issueDate, 1, 7), count(*) FROM notice n JOIN contract k ON k.id = n.contractId
                WHERE n.issueDate BETWEEN ? AND ? GROUP BY 1, 2
                """, [firstDay, lastDay]) { $0.noticesIssued += $1[2] }
            try add("""
                SELECT k.districtCode, substr(c.recordedOn, 1, 7), count(*),
                       coalesce(sum(f.id IS NOT NULL AND f.waived = 0), 0), coalesce(sum(f.waived = 1), 0)
                FROM correction c JOIN contract k ON k.id = c.contractId LEFT JOIN fee f ON f.correctionId = c.id
                WHERE c.recordedOn BETWEEN ? AND ? GROUP BY 1, 2
                """, [firstDay, lastDay]) { figures, row in
                figures.corrections += row[2]
                figures.billableCorrections += row[3]
                figures.waivedFees += row[4]
            }
            try add("""
                SELECT districtCode, billingPeriod, sum(amount) FROM fee WHERE waived = 0 AND billingPeriod BETWEEN ? AND ? GROUP BY 1, 2
                """, [first, last]) { try $0.feeRevenue += Money(ore: $1[2]) }
            return result
        }
    }
}
