/// A landlord that invoices the districts for head-lease rent.
public struct Landlord: Sendable, Equatable {
    public var organisationNumber: OrganisationNumber
    public var name: String
    public var bankgiro: BankgiroNumber?

    public init(organisationNumber: OrganisationNumber, name: String, bankgiro: BankgiroNumber? = nil) {
        self.organisationNumber = organisationNumber
        self.name = name
        self.bankgiro = bankgiro
    }
}

/// A district's first-hand lease with a landlord (the head lease of a trial or training apartment).
public struct HeadLease: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Försökslägenhet: meant to become the occupant's own first-hand contract.
        case trial
        /// Träningslägenhet: held by the district for good.
        case training

        /// The word the district offices use.
        public var swedish: String {
            switch self {
            case .trial: "försökslägenhet"
            case .training: "träningslägenhet"
            }
        }
    }

    /// Our id (`--id`, or assigned `HL-000001`); landlords may send it as the buyer's item id.
    public var id: String
    /// The landlord's organisation number (10 digits).
    public var landlord: String
    /// The landlord's own object id of the apartment.
    public var objectID: String
    public var district: String
    public var kind: Kind?
    /// The head-lease contract number (blockhyresavtal), as landlords put it in ContractDocumentReference.
    public var reference: String?
    public var address: String?
    /// The rent, as price steps of the rent component, and the lease's dates.
    public var terms: ContractTerms

    public init(
        id: String, landlord: String, objectID: String, district: String, kind: Kind? = nil, reference: String? = nil,
        address: String? = nil, terms: ContractTerms
    ) {
        self.id = id
        self.landlord = landlord
        self.objectID = objectID
        self.district = district
        self.kind = kind
        self.reference = reference
        self.address = address
        self.terms = terms
    }

    /// What the landlord should invoice for `period`: the rent prorated by actual days.
    public func expected(in period: BillingPeriod) throws(MoneyOverflow) -> Money {
        try NoticePlanner.regularTotal(for: terms, period: period, basis: .actualDays)
    }
}

/// The fields of a head lease, named as in `lease import`.
public enum LeaseField: String, Sendable, CaseIterable {
    case id, landlord
    case objectID = "object_id"
    case district, rent
    case startDate = "start_date"
    case endDate = "end_date"
    case kind, reference, address

    public var isRequired: Bool {
        switch self {
        case .landlord, .objectID, .district, .rent, .startDate: true
        default: false
        }
    }
}

/// A head lease as typed or imported, before validation.
public struct LeaseInput: Sendable, Equatable {
    public var values: [LeaseField: String]
    public init(_ values: [LeaseField: String]) { self.values = values }
}

extension HeadLease {
    /// Validates every field; `id` is `nil` in the result when none was given (the register assigns one).
    public static func validate(_ input: LeaseInput) -> Result<(id: String?, lease: HeadLease), FieldProblems<LeaseField>> {
        var problems: [FieldProblem<LeaseField>] = []
        func text(_ field: LeaseField) -> String? {
            guard let value = input.values[field]?.trimmingASCIIWhitespace(), !value.isEmpty else { return nil }
            return value
        }
        func check<T>(_ field: LeaseField, _ body: (String) throws -> T) -> T? {
            guard let value = text(field) else {
                if field.isRequired { problems.append(FieldProblem<LeaseField>(field, "a value is required")) }
                return nil
            }
            do { return try body(value) } catch {
                problems.append(FieldProblem<LeaseField>(field, "\(error)"))
                return nil
            }
        }
        let id = check(.id) { value throws(FieldError) -> String in
            guard let number = try ContractDraft.validateNumber(value) else { throw FieldError("an id is required") }
            return number
        }
        let landlord = check(.landlord) { try OrganisationNumber(parsing: $0).digits }
        let objectID = check(.objectID) { try ContractDraft.validateText($0, what: "object id", maxLength: 64) }
        let district = check(.district) { try ContractDraft.validateDistrictCode($0) }
        let rent = check(.rent) { try Money.parse($0) }
        let start = check(.startDate) { try CalendarDate.parse($0) }
        let end = check(.endDate) { try CalendarDate.parse($0) }
        let kind = check(.kind) { value throws(FieldError) -> Kind in
            guard let kind = Kind(rawValue: value.lowercased()) else { throw FieldError("\(Quote.excerpt(value)) is not a kind (trial or training)") }
            return kind
        }
        let reference = check(.reference) { try ContractDraft.validateText($0, what: "contract reference", maxLength: 64) }
        let address = check(.address) { try ContractDraft.validateText($0, what: "address", maxLength: 200) }
        if let start, let end, end < start {
            problems.append(FieldProblem<LeaseField>(.endDate, "end date \(end) is before the start date \(start)"))
        }
        guard problems.isEmpty, let landlord, let objectID, let district, let rent, let start else {
            return .failure(FieldProblems<LeaseField>(problems))
        }
        return .success(
            (
                id,
                HeadLease(
                    id: id ?? "", landlord: landlord, objectID: objectID, district: district, kind: kind,
                    reference: reference, address: address, terms: ContractTerms(start: start, end: end, rent: rent))
            ))
    }
}
