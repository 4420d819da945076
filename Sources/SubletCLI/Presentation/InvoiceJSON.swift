import InvoiceFeed
import SubletApp
import SubletDomain
import SubletStorage

/// `invoices list` and `invoices show` as JSON: every key always present (absent values are
/// `null`), so the shape is stable for scripts.
struct InvoiceJSON: Encodable {
    var id: Int64
    var kind, number: String
    @NullWhenAbsent var seller: String?
    @NullWhenAbsent var sellerName: String?
    var issueDate: String
    @NullWhenAbsent var dueDate: String?
    var currency: String
    @NullWhenAbsent var periodStart: String?
    @NullWhenAbsent var periodEnd: String?
    var contractReferences: [String]
    var payable: String
    var file: String
    var sourceLine: Int
    @NullWhenAbsent var duplicateOf: Int64?
    var lines: [LineJSON]
    var findings: [FindingJSON]

    init(_ invoice: StoredInvoice) {
        id = invoice.id
        kind = invoice.kind.rawValue
        number = invoice.number
        seller = invoice.seller
        sellerName = invoice.sellerName
        issueDate = invoice.issueDate.description
        dueDate = invoice.dueDate
        currency = invoice.currency
        periodStart = invoice.periodStart
        periodEnd = invoice.periodEnd
        contractReferences = invoice.contractReferences
        payable = invoice.payable.plain
        file = invoice.file
        sourceLine = invoice.sourceLine
        duplicateOf = invoice.duplicateOf
        lines = invoice.lines.map {
            LineJSON(
                line: $0.lineID, amount: $0.amount.plain, itemName: $0.itemName, note: $0.note, sellersItemID: $0.sellersItemID,
                buyersItemID: $0.buyersItemID, objectReference: $0.objectReference,
                months: Dictionary(uniqueKeysWithValues: $0.months.map { ($0.key.description, $0.value.plain) }))
        }
        findings = invoice.findings.map { FindingJSON(kind: $0.kind, rule: $0.rule, line: $0.line, message: $0.message) }
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, number, seller
        case sellerName = "seller_name"
        case issueDate = "issue_date"
        case dueDate = "due_date"
        case currency
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case contractReferences = "contract_references"
        case payable, file
        case sourceLine = "source_line"
        case duplicateOf = "duplicate_of"
        case lines, findings
    }
}

struct LineJSON: Encodable {
    @NullWhenAbsent var line: String?
    var amount: String
    @NullWhenAbsent var itemName: String?
    @NullWhenAbsent var note: String?
    @NullWhenAbsent var sellersItemID: String?
    @NullWhenAbsent var buyersItemID: String?
    @NullWhenAbsent var objectReference: String?
    var months: [String: String]
    enum CodingKeys: String, CodingKey {
        case line, amount
        case itemName = "item_name"
        case note
        case sellersItemID = "sellers_item_id"
        case buyersItemID = "buyers_item_id"
        case objectReference = "object_reference"
        case months
    }
}

struct FindingJSON: Encodable {
    var kind: String
    @NullWhenAbsent var rule: String?
    @NullWhenAbsent var line: String?
    var message: String

    enum CodingKeys: String, CodingKey { case kind, rule, line, message }
}

/// One file of `invoices ingest --json`.
struct IngestFileJSON: Encodable {
    var file, status: String
    var invoices = 0, duplicates = 0, ruleFailures = 0
    @NullWhenAbsent var error: String?
    enum CodingKeys: String, CodingKey {
        case file, status, invoices, duplicates
        case ruleFailures = "rule_failures"
        case error
    }

    init(file: String, outcome: IngestOutcome) {
        self.file = file
        status = outcome.alreadyIngested ? "already_ingested" : "ingested"
        invoices = outcome.invoices
        duplicates = outcome.duplicates
        ruleFailures = outcome.ruleFailures
    }

    init(file: String, rejection: FeedError) {
        self.file = file
        status = "rejected"
        error = SensitiveText.masked(rejection.description)
    }
}
