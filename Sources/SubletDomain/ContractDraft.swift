/// The fields of a sublet contract, named as in the import file (the command line names its own options).
public enum ContractField: String, Sendable, CaseIterable {
    case contractNumber = "contract_number"
    case district
    case tenantName = "tenant_name"
    case personalNumber = "personal_number"
    case address
    case objectID = "object_id"
    case startDate = "start_date"
    case endDate = "end_date"
    case rent
    case charges

    public var isRequired: Bool {
        switch self {
        case .contractNumber, .objectID, .endDate, .charges: false
        default: true
        }
    }
}

/// A contract as typed or imported, before validation: plain text.
public struct ContractInput: Sendable, Equatable {
    public var number: String?
    public var district: String
    public var tenantName: String
    public var personalNumber: String
    public var address: String
    public var objectID: String?
    public var start: String
    public var end: String?
    public var rent: String
    public var charges: [String]

    public init(
        number: String? = nil, district: String, tenantName: String, personalNumber: String, address: String,
        objectID: String? = nil, start: String, end: String? = nil, rent: String, charges: [String] = []
    ) {
        self.number = number
        self.district = district
        self.tenantName = tenantName
        self.personalNumber = personalNumber
        self.address = address
        self.objectID = objectID
        self.start = start
        self.end = end
        self.rent = rent
        self.charges = charges
    }
}

/// A validated contract that is not yet in the register.
public struct ContractDraft: Sendable, Equatable {
    /// A number carried over from the legacy register; `nil` lets the register assign one.
    public var number: String?
    public var district: String
    public var tenantName: String
    public var personalNumber: PersonalNumber
    public var address: String
    public var objectID: String?
    public var terms: ContractTerms
}

/// A bad value in a named field of a contract (`ContractField`) or a head lease (`LeaseField`).
public struct FieldProblem<Field: ImportColumn>: Error, Sendable, Equatable {
    public let field: Field
    public let message: String
    public init(_ field: Field, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Every problem found in one input, reported together.
public struct FieldProblems<Field: ImportColumn>: Error, Sendable, Equatable {
    public var problems: [FieldProblem<Field>]
    public init(_ problems: [FieldProblem<Field>]) { self.problems = problems }

}

extension ContractDraft {
    /// Checks every field and returns the draft or every problem found (not just the first).
    /// `today` places two-digit birth years in their century.
    public static func validate(_ input: ContractInput, today: CalendarDate) -> Result<ContractDraft, FieldProblems<ContractField>> {
        var problems: [FieldProblem<ContractField>] = []
        func check<T>(_ field: ContractField, _ body: () throws -> T) -> T? {
            do { return try body() } catch {
                problems.append(FieldProblem(field, "\(error)"))
                return nil
            }
        }
        let number = check(.contractNumber) { try input.number.flatMap { try validateNumber($0) } }
        let district = check(.district) { try validateDistrictCode(input.district) }
        let tenant = check(.tenantName) { try validateText(input.tenantName, what: "tenant name", maxLength: 200) }
        let personalNumber = check(.personalNumber) {
            try PersonalNumber(parsing: input.personalNumber, referenceDate: today)
        }
        let address = check(.address) { try validateText(input.address, what: "address", maxLength: 200) }
        let objectID = check(.objectID) {
            try input.objectID.map { $0.trimmingASCIIWhitespace() }.flatMap {
                $0.isEmpty ? nil : try validateText($0, what: "object id", maxLength: 64)
            }
        }
        let start = check(.startDate) { try CalendarDate.parse(input.start) }
        let end = check(.endDate) {
            try input.end.map { $0.trimmingASCIIWhitespace() }.flatMap { $0.isEmpty ? nil : try CalendarDate.parse($0) }
        }
        let rent = check(.rent) { try Money.parse(input.rent) }
        var charges: [ChargeSpec] = []
        // Past the limit only the count is reported: 10,000 bad charges are one problem, not 10,000.
        for text in input.charges where input.charges.count <= ContractTerms.maximumCharges {
            if let charge = check(.charges, { try ChargeSpec.parse(text) }) {
                if charges.contains(where: { $0.label.lowercased() == charge.label.lowercased() }) {
                    problems.append(FieldProblem(.charges, "charge \(Quote.excerpt(charge.label)) is given twice"))
                } else {
                    charges.append(charge)
                }
            }
        }
        if input.charges.count > ContractTerms.maximumCharges {
            problems.append(FieldProblem(.charges, "\(input.charges.count) charges; a contract has at most \(ContractTerms.maximumCharges)"))
        }
        if let start, let endDate = end ?? nil, endDate < start {
            problems.append(FieldProblem(.endDate, "end date \(endDate) is before the start date \(start)"))
        }
        guard problems.isEmpty, let district, let tenant, let personalNumber, let address, let start, let rent else {
            return .failure(FieldProblems(problems))
        }
        return .success(
            ContractDraft(
                number: number ?? nil, district: district, tenantName: tenant, personalNumber: personalNumber,
                address: address, objectID: objectID ?? nil,
                terms: ContractTerms(start: start, end: end ?? nil, rent: rent, charges: charges)
            ))
    }

    /// A contract number: 1–32 letters, digits, `-`, `/` or `.`.
    public static func validateNumber(_ text: String) throws(FieldError) -> String? {
        let number = text.trimmingASCIIWhitespace()
        guard !number.isEmpty else { return nil }
        guard number.count <= 32,
            number.unicodeScalars.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "-" || $0 == "/" || $0 == "." })
        else {
            throw FieldError("\(Quote.excerpt(number)) is not a contract number (1–32 letters, digits, '-', '/' or '.')")
        }
        return number
    }

    /// A district code: 1–16 letters, digits or `-`, kept in upper case.
    public static func validateDistrictCode(_ text: String) throws(FieldError) -> String {
        let code = text.trimmingASCIIWhitespace().uppercased()
        guard !code.isEmpty, code.count <= 16,
            code.unicodeScalars.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "-" })
        else {
            throw FieldError("\(Quote.excerpt(text)) is not a district code (1–16 letters, digits or '-', e.g. RK)")
        }
        return code
    }

    /// Non-empty printable text of at most `maxLength` characters.
    public static func validateText(_ text: String, what: String, maxLength: Int) throws(FieldError) -> String {
        let value = text.trimmingASCIIWhitespace()
        guard !value.isEmpty else { throw FieldError("a \(what) is required") }
        guard value.count <= maxLength else { throw FieldError("the \(what) is longer than \(maxLength) characters") }
        guard !value.contains(where: \.isControlCharacter) else {
            throw FieldError("the \(what) contains control characters")
        }
        return value
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
