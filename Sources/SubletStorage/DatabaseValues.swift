import GRDB
import SubletDomain

// How domain values are stored: money as INTEGER öre, dates as `YYYY-MM-DD`, months as `YYYY-MM`.
// A stored value that is not one of these decodes as an error naming the table, row and column
// (`Row.value(_:in:)`), never a crash.

extension Money: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { ore.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Money? {
        guard case .int64(let ore) = dbValue.storage, let value = Int(exactly: ore) else { return nil }
        return Money(ore: value)
    }
}

extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CalendarDate? {
        String.fromDatabaseValue(dbValue).flatMap { CalendarDate($0) }
    }
}

extension BillingPeriod: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> BillingPeriod? {
        String.fromDatabaseValue(dbValue).flatMap { BillingPeriod($0) }
    }
}

extension Notice.Kind: DatabaseValueConvertible {}
extension Contract.Origin: DatabaseValueConvertible {}
extension SupplierInvoice.Kind: DatabaseValueConvertible {}
extension CorrectionPriceList.Model: DatabaseValueConvertible {}
extension HeadLease.Kind: DatabaseValueConvertible {}

extension Row {
    /// The value of `column`, or an error naming `table`, the row's id and the column when the
    /// stored value is not what the schema promises (NULL where a value is required included).
    func value<Value: DatabaseValueConvertible>(_ column: String, in table: String) throws -> Value {
        do {
            return try decode(forColumn: column)
        } catch {
            throw StorageError.badStoredValue(
                table: table, row: rowDescription, column: column,
                value: (self[column] as DatabaseValue?)?.description ?? "missing")
        }
    }

    /// The value at `index`, for hot loops over a SELECT whose column order the caller wrote (a
    /// name lookup per value costs a tenth of the monthly run); an error names `column` as
    /// `value(_:in:)` does.
    func value<Value: DatabaseValueConvertible>(at index: Int, _ column: String, in table: String) throws -> Value {
        let stored: DatabaseValue = self[index]
        if let value = Value.fromDatabaseValue(stored) { return value }
        throw StorageError.badStoredValue(table: table, row: rowDescription, column: column, value: stored.description)
    }

    /// The row's `id` (or, without one, the whole row), for messages.
    var rowDescription: String {
        if let id = self["id"] as DatabaseValue?, !id.isNull { return "id \(id)" }
        return description
    }
}
