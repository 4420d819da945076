/// A district office (stadsdelsförvaltning): the customer that holds the head leases.
public struct District: Sendable, Equatable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// A sublet contract in the register.
public struct Contract: Sendable, Equatable {
    /// How a contract entered the register: the operational plan counts only new ones.
    public enum Origin: String, Sendable, Equatable {
        /// Set up by an administrator (`contract add`).
        case new
        /// Migrated from the legacy register (`contract import`).
        case migrated
    }

    public var number: String
    public var district: String
    public var tenantName: String
    public var personalNumber: PersonalNumber
    public var address: String
    public var objectID: String?
    public var terms: ContractTerms
    public var origin: Origin
    /// The Stockholm date the contract entered the register.
    public var registeredOn: CalendarDate

    public init(
        number: String, district: String, tenantName: String, personalNumber: PersonalNumber, address: String,
        objectID: String?, terms: ContractTerms, origin: Origin, registeredOn: CalendarDate
    ) {
        self.number = number
        self.district = district
        self.tenantName = tenantName
        self.personalNumber = personalNumber
        self.address = address
        self.objectID = objectID
        self.terms = terms
        self.origin = origin
        self.registeredOn = registeredOn
    }
}

/// An issued rent notice (hyresavi). Never edited once issued.
public struct Notice: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The monthly notice for a period.
        case regular
        /// A standalone notice for a correction of an ended contract.
        case correction
    }

    public var number: String
    public var contractNumber: String
    public var period: BillingPeriod
    public var kind: Kind
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    public var ocr: String
    public var total: Money
    public var lines: [NoticeLine]

    public init(
        number: String, contractNumber: String, period: BillingPeriod, kind: Kind, issueDate: CalendarDate,
        dueDate: CalendarDate, ocr: String, total: Money, lines: [NoticeLine]
    ) {
        self.number = number
        self.contractNumber = contractNumber
        self.period = period
        self.kind = kind
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.ocr = ocr
        self.total = total
        self.lines = lines
    }
}

extension PersonalNumber {
    /// A number read back from the register, where it was validated when stored.
    public init(storedDigits: String) {
        self.init(validatedDigits: storedDigits)
    }
}
