import Foundation
import SubletDomain

extension ReconciliationReports {
    /// One lease's row of a district's report as `build` wrote it (the CSV), for the portal.
    public struct StoredRow: Sendable, Equatable {
        public var status: String
        /// `ok`, `overbilled`, … (`ReconciliationStatus`).
        public var code: String
        public var lease: String
        public var landlord: String
        public var object: String
        public var address: String
        public var expected: Money
        public var invoiced: Money
        public var difference: Money
        public var notes: String
    }

    /// Reads a district's report back from its CSV (the file the district receives), by the
    /// header's column names; a file that is not such a report throws.
    public static func read(csv data: Data) throws -> [StoredRow] {
        var reader = CSVReader(bytes: Array(data), delimiter: UInt8(ascii: ";"))
        guard let header = try reader.next()?.fields else { return [] }
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else { throw CSVSyntaxError(line: 1, column: 1, message: "no column \(name)") }
            return index
        }
        let columns = try ["Status", "Statuskod", "Kontrakt", "Hyresvärd", "Objekt", "Adress", "Förväntat", "Fakturerat", "Skillnad", "Radtexter"]
            .map(
                column)
        var rows: [StoredRow] = []
        while let record = try reader.next() {
            let fields = record.fields
            guard fields.count == header.count else {
                throw CSVSyntaxError(line: record.line, column: 1, message: "\(fields.count) fields, the header has \(header.count)")
            }
            func money(_ index: Int) throws -> Money {
                try Money.parse(fields[columns[index]].replacingOccurrences(of: ",", with: "."), allowNegative: true)
            }
            rows.append(
                StoredRow(
                    status: fields[columns[0]], code: fields[columns[1]], lease: fields[columns[2]], landlord: fields[columns[3]],
                    object: fields[columns[4]], address: fields[columns[5]], expected: try money(6), invoiced: try money(7),
                    difference: try money(8), notes: fields[columns[9]]))
        }
        return rows
    }
}
