import Foundation
import SubletDomain
import SubletStorage

/// The internal invoice basis for the city's finance system: one row per fee billed in a month,
/// and a total row per district, in the Swedish spreadsheet dialect (`;`, decimal comma, UTF-8
/// with BOM). The same month gives the same file, byte for byte: a fee belongs to the month its
/// correction was recorded in, so it is never billed in two months. Waived fees are not billed.
public enum BillingExport {
    public static let header = ["row", "district", "district_name", "contract", "correction", "date", "amount", "text"]

    public static func csv(period: BillingPeriod, fees: [FeeEntry]) throws(MoneyOverflow) -> Data {
        var text = CSVWriter.row(header, delimiter: ";")
        let billed = fees.filter { $0.waiverReason == nil && $0.billingPeriod == period }
        for district in Set(billed.map(\.district)).sorted() {
            let rows = billed.filter { $0.district == district }.sorted { $0.correction < $1.correction }
            for fee in rows {
                let basis = fee.model == .time ? "tid \(fee.minutes ?? 0) min" : "fast avgift"
                text += CSVWriter.row(
                    [
                        "fee", fee.district, fee.districtName, fee.contract, fee.correction, fee.recordedOn.description, fee.amount.plainSwedish,
                        "Retroaktiv korrigering \(fee.correction), kontrakt \(fee.contract), \(fee.affectedNotices) avier (\(basis))",
                    ], delimiter: ";")
            }
            text += CSVWriter.row(
                [
                    "total", district, rows[0].districtName, "", "", "", try rows.map(\.amount).sum().plainSwedish,
                    "Summa \(rows[0].districtName) \(period)",
                ], delimiter: ";")
        }
        return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    }

    /// The default file: `paths.outbox/billing/billing-PERIOD.csv`.
    public static func defaultPath(_ configuration: Settings, period: BillingPeriod) -> String {
        configuration.paths.outbox + "/billing/billing-\(period).csv"
    }

    /// Writes the file (folders created, atomically) and returns the billed fees.
    public static func write(period: BillingPeriod, from database: SubletDatabase, to path: String) throws -> [FeeEntry] {
        let fees = try database.fees(period: period)
        try FileOutput.createFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        try FileOutput.write(try csv(period: period, fees: fees), to: path)
        return fees.filter { $0.waiverReason == nil }
    }
}
