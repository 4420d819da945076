import SubletApp
import SubletDomain
import SubletStorage

/// `payments list/show/…` as JSON: every key always present. A payer's identifier passes
/// `SensitiveText.masked` (it may be a personal number).
struct PaymentJSON: Encodable {
    var id: Int64
    var file: String
    var line: Int
    var format, amount, unapplied, state, tier: String
    var paymentDate: String
    @NullWhenAbsent var reference: String?
    @NullWhenAbsent var text: String?
    @NullWhenAbsent var payerName: String?
    @NullWhenAbsent var payerID: String?
    var applications: [ApplicationJSON]
    var suggestions: [SuggestionJSON]

    init(_ payment: StoredPayment, suggestions: [PaymentSuggestion] = []) {
        id = payment.id
        file = payment.file
        line = payment.line
        format = payment.format
        amount = payment.amount.plain
        unapplied = payment.unapplied.plain
        state = payment.state.rawValue
        tier = payment.tier.rawValue
        paymentDate = payment.paymentDate.description
        reference = payment.reference
        text = payment.text.map(SensitiveText.masked)
        payerName = payment.payerName.map(SensitiveText.masked)
        payerID = payment.payerID.map(PaymentJSON.masked)
        applications = payment.applications.map(ApplicationJSON.init)
        self.suggestions = suggestions.map(SuggestionJSON.init)
    }

    /// An identifier of 10 or 12 digits may be a personal number: its last four digits hidden.
    static func masked(_ id: String) -> String {
        let digits = id.filter(\.isNumber)
        guard digits.count == 10 || digits.count == 12 else { return SensitiveText.masked(id) }
        return String(digits.dropLast(4)) + "****"
    }

    enum CodingKeys: String, CodingKey {
        case id, file, line, format, amount, unapplied, state, tier
        case paymentDate = "payment_date"
        case reference, text
        case payerName = "payer_name"
        case payerID = "payer_id"
        case applications, suggestions
    }

    struct ApplicationJSON: Encodable {
        var id: Int64
        var kind, amount, at, by: String
        @NullWhenAbsent var notice: String?
        @NullWhenAbsent var contract: String?
        @NullWhenAbsent var reverses: Int64?
        @NullWhenAbsent var reason: String?

        init(_ application: StoredApplication) {
            id = application.id
            kind = application.kind
            amount = application.amount.plain
            at = application.at
            by = application.by
            notice = application.notice
            contract = application.contract
            reverses = application.reversesID
            reason = application.reason
        }
    }

    struct SuggestionJSON: Encodable {
        var contract, district, reason: String
        @NullWhenAbsent var notice: String?
        var score: Int

        init(_ suggestion: PaymentSuggestion) {
            contract = suggestion.contract
            district = suggestion.district
            reason = suggestion.reason
            notice = suggestion.notice
            score = suggestion.score
        }
    }
}

/// A notice with something owed (`debts`, `forfeiture list`), without the tenant's identity number.
struct OwedNoticeJSON: Encodable {
    var notice, contract, district, tenant, period, dueDate, total, balance: String
    var daysPastDue: Int
    var age: String
    @NullWhenAbsent var watchDate: String?
    @NullWhenAbsent var notifiedOn: String?
    @NullWhenAbsent var recoveryDeadline: String?

    init(_ owed: OwedNotice, asOf: CalendarDate, watch: Bool = false) {
        notice = owed.notice
        contract = owed.contract
        district = owed.district
        tenant = owed.tenant
        period = owed.period.description
        dueDate = owed.dueDate.description
        total = owed.total.plain
        balance = owed.balance.plain
        daysPastDue = DebtAge.daysPastDue(dueDate: owed.dueDate, on: asOf)
        age = DebtAge(daysPastDue: daysPastDue).rawValue
        watchDate = watch ? ForfeitureWatch.watchDate(dueDate: owed.dueDate).description : nil
        notifiedOn = owed.notifiedOn?.description
        recoveryDeadline = owed.notifiedOn.map { ForfeitureWatch.recoveryDeadline(notifiedOn: $0).description }
    }

    enum CodingKeys: String, CodingKey {
        case notice, contract, district, tenant, period, total, balance, age
        case dueDate = "due_date"
        case daysPastDue = "days_past_due"
        case watchDate = "watch_date"
        case notifiedOn = "notified_on"
        case recoveryDeadline = "recovery_deadline"
    }
}

struct LedgerLineJSON: Encodable {
    var date, kind, document, text, amount, balance: String
    @NullWhenAbsent var status: String?

    init(_ line: LedgerLine) {
        status = line.status?.rawValue
        date = line.date.description
        kind = line.kind.rawValue
        document = line.document
        text = line.text
        amount = line.amount.plain
        balance = line.balance.plain
    }
}

struct PaymentImportJSON: Encodable {
    var file: String
    @NullWhenAbsent var format: String?
    var alreadyImported: Bool
    var payments, duplicates: Int
    var tiers: [String: Int]
    var applied, credited, total: String
    @NullWhenAbsent var rejected: String?

    init(file: String, result: PaymentImportResult) {
        self.file = file
        format = result.format.rawValue
        alreadyImported = result.outcome.alreadyImported
        payments = result.outcome.payments
        duplicates = result.outcome.duplicates
        tiers = Dictionary(uniqueKeysWithValues: PaymentMatch.Tier.allCases.map { ($0.rawValue, result.outcome.byTier[$0] ?? 0) })
        applied = result.outcome.applied.plain
        credited = result.outcome.credited.plain
        total = result.outcome.total.plain
    }

    init(file: String, rejection: any Error) {
        self.file = file
        alreadyImported = false
        payments = 0
        duplicates = 0
        tiers = [:]
        applied = "0.00"
        credited = "0.00"
        total = "0.00"
        rejected = "\(rejection)"
    }

    enum CodingKeys: String, CodingKey {
        case file, format, payments, duplicates, tiers, applied, credited, total, rejected
        case alreadyImported = "already_imported"
    }
}
