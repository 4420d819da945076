import Foundation
import SubletApp
import SubletDomain
import SubletStorage

extension Benchmark {
    /// `sublet find` as administrators use it, on the register just noticed: a tenant's name, a
    /// surname, a street prefix, a contract number, a full personal number, its last four
    /// digits, a notice number and an OCR reference; each query five times, through a read-only
    /// app as the command opens it. Returns the median and the slowest query (seconds).
    func measureFind(_ app: SubletApp) throws -> (median: Double, slowest: Double) {
        let reader = try app.opening(app.databasePath, access: .readOnly)
        let contract = try reader.database.contract(number: "L-0000042")
        let notice = try reader.database.regularNotices(period: Self.today.period.next).first { $0.contract == contract.number }
        let surname = contract.tenantName.split(separator: " ").last.map(String.init) ?? contract.tenantName
        var queries = [
            contract.tenantName, surname, "hantverkarg", contract.number, contract.personalNumber.formatted,
            String(contract.personalNumber.digits.suffix(4)),
        ]
        if let notice { queries += [notice.notice, notice.ocr] }
        var times: [Double] = []
        for _ in 1...5 {
            for query in queries {
                times.append(
                    try Stopwatch.measure {
                        let hits = try reader.find(query)
                        precondition(!hits.isEmpty, "find \(query) found nothing")
                    })
            }
        }
        times.sort()
        return (times[times.count / 2], times.last ?? 0)
    }
}
