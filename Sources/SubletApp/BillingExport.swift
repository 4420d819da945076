import Foundation
import SubletDomain
import SubletStorage

/// The internal invoice basis for the city's finance system, in the Swedish spreadsheet dialect
/// (`;`, decimal comma, UTF-8 with BOM), Swedish headers: one row per fee billed in a month, and
/// beside it a summary file with each district's total, so that a plain sum over the fee file's
/// amounts is the month's total. The same month gives the same files, byte for byte: a fee
/// belongs to the month its correction was recorded in, so it is never billed in two months.
/// Waived fees are not billed.
public enum BillingExport {
    public static let header = ["Stadsdel", "Stadsdelsnamn", "Kontrakt", "Korrigering", "Datum", "Belopp", "Text"]
    public static let summaryHeader = ["Stadsdel", "Stadsdelsnamn", "Period", "Antal avgifter", "Summa"]

    static func billed(_ fees: [FeeEntry], period: BillingPeriod) -> [FeeEntry] {
        fees.filter { $0.waiverReason == nil && $0.billingPeriod == period }.sorted { ($0.district, $0.correction) < ($1.district, $1.correction) }
    }

    public static func csv(period: BillingPeriod, fees: [FeeEntry]) -> Data {
        var text = CSVWriter.row(header, delimiter: ";")
        for fee in billed(fees, period: period) {
            let basis = fee.model == .time ? "tid \(fee.minutes ?? 0) min" : "fast avgift"
            text += CSVWriter.row(
                [
                    fee.district, fee.districtName, fee.contract, fee.correction, fee.recordedOn.description, fee.amount.plainSwedish,
                    "Retroaktiv korrigering \(fee.correction), kontrakt \(fee.contract)"
                        + (TermChange(description: fee.change).map { ": \($0.swedish)" } ?? "") + ", \(fee.affectedNotices) avier (\(basis))",
                ], delimiter: ";")
        }
        return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    }

    /// Each district's number of fees and total for the month.
    public static func summaryCSV(period: BillingPeriod, fees: [FeeEntry]) throws(MoneyOverflow) -> Data {
        var text = CSVWriter.row(summaryHeader, delimiter: ";")
        let billed = billed(fees, period: period)
        for district in Set(billed.map(\.district)).sorted() {
            let rows = billed.filter { $0.district == district }
            text += CSVWriter.row(
                [district, rows[0].districtName, period.description, String(rows.count), try rows.map(\.amount).sum().plainSwedish], delimiter: ";")
        }
        return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    }

    /// The summary beside `path`: `billing-2026-11.csv` → `billing-2026-11-summa.csv`.
    public static func summaryPath(_ path: String) -> String {
        path.hasSuffix(".csv") ? String(path.dropLast(4)) + "-summa.csv" : path + "-summa.csv"
    }

    /// The default file: `paths.outbox/billing/billing-PERIOD.csv`.
    public static func defaultPath(_ configuration: Settings, period: BillingPeriod) -> String {
        configuration.paths.outbox + "/billing/billing-\(period).csv"
    }

    /// Writes the fee file and its summary (folders created, each atomically) and returns the
    /// billed fees.
    public static func write(period: BillingPeriod, from database: SubletDatabase, to path: String) throws -> [FeeEntry] {
        let fees = try database.fees(period: period)
        let summary = try summaryCSV(period: period, fees: fees)
        try FileOutput.createFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        try FileOutput.write(csv(period: period, fees: fees), to: path)
        try FileOutput.write(summary, to: summaryPath(path))
        return fees.filter { $0.waiverReason == nil }
    }
}
