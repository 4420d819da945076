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
            var districts = try Row.fetchAll(db, sql: "SELECT code, name FROM district ORDER BY code").map {
                District(code: try $0.value("code", in: "district"), name: try $0.value("name", in: "district"))
            }
            if let district {
                districts = districts.filter { $0.code == district }
                guard !districts.isEmpty else { throw StorageError.notFound("district \(district)") }
            }
            var result = Indicators(range: range, districts: districts, cells: [:])
            let firstDay = range.first.firstDay.description, lastDay = range.last.lastDay.description
            let first = range.first.description, last = range.last.description
            /// Adds each row's figures to its district's month: every query names its columns
            /// `district`, `period` and the figures it reads.
            func add(_ sql: String, _ arguments: StatementArguments, _ apply: (inout IndicatorFigures, Row) throws -> Void) throws {
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    let code: String = try row.value("district", in: "indicators")
                    let period: BillingPeriod = try row.value("period", in: "indicators")
                    guard district == nil || code == district else { continue }
                    try apply(&result.cells[code, default: [:]][period, default: IndicatorFigures()], row)
                }
            }
            try add(
                """
                SELECT districtCode AS district, period, sum(count) AS n FROM noticeTally
                WHERE regular = 1 AND period BETWEEN ? AND ? GROUP BY 1, 2
                """, [first, last]
            ) { $0.administeredContracts += try $1.value("n", in: "noticeTally") }
            try add(
                """
                SELECT districtCode AS district, substr(registeredOn, 1, 7) AS period, count(*) AS n FROM contract
                WHERE registeredOn BETWEEN ? AND ? AND origin = 'new' GROUP BY 1, 2
                """, [firstDay, lastDay]
            ) { $0.newContracts += try $1.value("n", in: "contract") }
            try add(
                """
                SELECT districtCode AS district, issueMonth AS period, sum(count) AS n FROM noticeTally
                WHERE issueMonth BETWEEN ? AND ? GROUP BY 1, 2
                """, [first, last]
            ) { $0.noticesIssued += try $1.value("n", in: "noticeTally") }
            try add(
                """
                SELECT k.districtCode AS district, substr(c.recordedOn, 1, 7) AS period, count(*) AS n,
                       coalesce(sum(f.id IS NOT NULL AND f.waived = 0), 0) AS billable, coalesce(sum(f.waived = 1), 0) AS waived
                FROM correction c JOIN contract k ON k.id = c.contractId LEFT JOIN fee f ON f.correctionId = c.id
                WHERE c.recordedOn BETWEEN ? AND ? GROUP BY 1, 2
                """, [firstDay, lastDay]
            ) { figures, row in
                figures.corrections += try row.value("n", in: "correction")
                figures.billableCorrections += try row.value("billable", in: "correction")
                figures.waivedFees += try row.value("waived", in: "fee")
            }
            try add(
                """
                SELECT districtCode AS district, billingPeriod AS period, sum(amount) AS amount FROM fee
                WHERE waived = 0 AND billingPeriod BETWEEN ? AND ? GROUP BY 1, 2
                """, [first, last]
            ) { try $0.feeRevenue += try $1.value("amount", in: "fee") as Money }
            try add(
                """
                SELECT coalesce((SELECT c.districtCode FROM paymentApplication a JOIN contract c ON c.id = a.contractId
                                 WHERE a.paymentId = p.id AND a.reversesId IS NULL ORDER BY a.id LIMIT 1), '') AS district,
                       substr(p.paymentDate, 1, 7) AS period, count(*) AS n
                FROM payment p WHERE p.tier != 'ocr' AND p.paymentDate BETWEEN ? AND ? GROUP BY 1, 2
                """, [firstDay, lastDay]
            ) { $0.unidentifiedPayments += try $1.value("n", in: "payment") }
            return result
        }
    }
}
