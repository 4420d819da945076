import GRDB
import SubletDomain

// GRDB records for the rows Sublet reads back into domain values. Each decodes through
// `Row.value(_:in:)`: a stored value that breaks the schema's promise is a `StorageError` naming
// the table, the row and the column, never a crash.

/// A `contract` row; with its price steps it is a `Contract`.
struct ContractRecord: FetchableRecord {
    static let table = "contract"
    var id: Int64
    var number: String
    var district: String
    var tenantName: String
    var personalNumber: String
    var address: String
    var objectID: String?
    var start: CalendarDate
    var end: CalendarDate?
    var origin: Contract.Origin
    var registeredOn: CalendarDate

    init(row: Row) throws {
        id = try row.value("id", in: Self.table)
        number = try row.value("number", in: Self.table)
        district = try row.value("districtCode", in: Self.table)
        tenantName = try row.value("tenantName", in: Self.table)
        personalNumber = try row.value("personalNumber", in: Self.table)
        address = try row.value("address", in: Self.table)
        objectID = try row.value("objectId", in: Self.table)
        start = try row.value("startDate", in: Self.table)
        end = try row.value("endDate", in: Self.table)
        origin = try row.value("origin", in: Self.table)
        registeredOn = try row.value("registeredOn", in: Self.table)
    }

    func contract(steps: [TermStep]) -> Contract {
        Contract(
            number: number, district: district, tenantName: tenantName, personalNumber: PersonalNumber(storedDigits: personalNumber),
            address: address, objectID: objectID, terms: ContractTerms(start: start, end: end, steps: steps), origin: origin,
            registeredOn: registeredOn)
    }
}

/// A `contractTerm` row: one price step of a contract. Read in the monthly run for every
/// contract, so by position from `columns` (the SELECT must list them in this order).
struct TermStepRecord: FetchableRecord {
    static let table = "contractTerm"
    static let columns = "contractId, component, validFrom, amount, vatRate"
    var contractID: Int64
    var step: TermStep

    init(row: Row) throws {
        contractID = try row.value(at: 0, "contractId", in: Self.table)
        step = TermStep(
            component: try row.value(at: 1, "component", in: Self.table), validFrom: try row.value(at: 2, "validFrom", in: Self.table),
            amount: try row.value(at: 3, "amount", in: Self.table), vatRate: try row.value(at: 4, "vatRate", in: Self.table))
    }
}
