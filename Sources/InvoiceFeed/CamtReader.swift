import SubletDomain

/// ISO 20022 camt.054 (`BankToCustomerDebitCreditNotification`, versions .001.02 and .001.08),
/// streamed through the same hardened libxml2 path as the invoices (`XMLStream`: no DTD, no
/// entities, depth and text limits). What is read, element by element: docs/formats.md,
/// "camt.054".
struct CamtHandler: XMLStreamHandler {
    static let namespaces: Set<String> = [
        "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02", "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
    ]

    let file: String
    let payeeBankgiro: String
    /// Hears each payment as its entry ends.
    let deliver: (IncomingPayment) throws -> Void
    private(set) var count = 0
    private(set) var skipped: [String] = []

    private var path: [String] = []
    private var text = ""
    /// Whether the open element's text is read (only the elements in `read`).
    private var wantsText = false
    private var entryDepth = 0
    private var debtorDepth = 0
    private static let read: Set<String> = [
        "Amt", "CdtDbtInd", "RvslInd", "Dt", "DtTm", "AcctSvcrRef", "NtryRef", "EndToEndId", "Ref", "Ustrd", "Nm", "Id",
    ]
    private var currency: String?
    private var line = 0
    /// The entry being read and its transactions.
    private var entry = Entry()
    private var transaction: Transaction?

    private struct Entry {
        var line = 0
        var amount: String?
        var currency: String?
        var credit: Bool?
        var reversal = false
        var bookingDate: String?
        var valueDate: String?
        var reference: String?
        var transactions: [Transaction] = []
    }

    private struct Transaction {
        var line = 0
        var amount: String?
        var currency: String?
        var reference: String?
        var endToEnd: String?
        var creditorReferences: [String] = []
        var unstructured: [String] = []
        var payerName: String?
        var payerID: String?
    }

    init(file: String, payeeBankgiro: String, deliver: @escaping (IncomingPayment) throws -> Void) {
        self.file = file
        self.payeeBankgiro = payeeBankgiro.filter(\.isNumber)
        self.deliver = deliver
    }

    mutating func start(_ name: XMLName, attributes: XMLAttributes, at location: XMLLocation) throws {
        if path.isEmpty {
            guard name.localName == "Document", Self.namespaces.contains(name.namespace) else {
                throw FeedError.unsupported(
                    file: file, line: location.line, column: location.column,
                    reason:
                        "not a camt.054 notification (root element {\(name.namespace)}\(name.localName)); expected <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"> or .001.08"
                )
            }
        }
        path.append(name.localName)
        text = ""
        wantsText = Self.read.contains(name.localName)
        currency = attributes.currencyID
        line = location.line
        switch name.localName {
        case "Ntry" where path.count >= 2 && path[path.count - 2] == "Ntfctn":
            entry = Entry(line: location.line)
            entryDepth = path.count
        case "TxDtls": transaction = Transaction(line: location.line)
        case "Dbtr": debtorDepth = path.count
        default: break
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard wantsText else { return }
        text += String(decoding: bytes, as: UTF8.self)
    }

    mutating func end() throws {
        let depth = path.count
        let name = path.removeLast()
        let value = wantsText ? text.trimmingASCIIWhitespace() : ""
        text = ""
        wantsText = false
        let parent = path.last ?? ""
        if name == "Dbtr" { debtorDepth = 0 }
        if transaction != nil {
            try endInTransaction(name, parent: parent, value)
        } else if entryDepth > 0, depth > entryDepth {
            endInEntry(name, parent: parent, value)
        } else if name == "Ntry", depth == entryDepth {
            entryDepth = 0
            try finishEntry()
        } else if name == "Id", Array(path.suffix(4)) == ["Ntfctn", "Acct", "Id", "Othr"] {
            try checkAccount(value)
        }
    }

    private mutating func endInEntry(_ name: String, parent: String, _ value: String) {
        switch (parent, name) {
        case ("Ntry", "Amt"):
            entry.amount = value
            entry.currency = currency
        case ("Ntry", "CdtDbtInd"): entry.credit = value == "CRDT"
        case ("Ntry", "RvslInd"): entry.reversal = value == "true" || value == "1"
        case ("BookgDt", "Dt"), ("BookgDt", "DtTm"): entry.bookingDate = String(value.prefix(10))
        case ("ValDt", "Dt"), ("ValDt", "DtTm"): entry.valueDate = String(value.prefix(10))
        case ("Ntry", "AcctSvcrRef"): entry.reference = value
        case ("Ntry", "NtryRef"): entry.reference = entry.reference ?? value
        default: break
        }
    }

    private mutating func endInTransaction(_ name: String, parent: String, _ value: String) throws {
        if name == "TxDtls", let done = transaction {
            entry.transactions.append(done)
            transaction = nil
            return
        }
        let inDebtor = debtorDepth > 0
        switch (parent, name) {
        case ("TxAmt", "Amt"), ("TxDtls", "Amt"):
            transaction?.amount = value
            transaction?.currency = currency
        case ("Refs", "AcctSvcrRef"): transaction?.reference = value
        case ("Refs", "EndToEndId"): transaction?.endToEnd = value == "NOTPROVIDED" ? nil : value
        case ("CdtrRefInf", "Ref"): transaction?.creditorReferences.append(value)
        case ("RmtInf", "Ustrd"): transaction?.unstructured.append(value)
        case ("Dbtr", "Nm") where inDebtor, ("Pty", "Nm") where inDebtor: transaction?.payerName = value
        case ("Othr", "Id") where inDebtor: transaction?.payerID = value
        default: break
        }
    }

    private mutating func checkAccount(_ value: String) throws {
        // The notification's own account, when it is given as a bankgiro number (7–8 digits, a
        // dash allowed; an IBAN comes in its own element), must be the city's.
        let digits = value.filter(\.isNumber)
        guard !payeeBankgiro.isEmpty, (7...8).contains(digits.count), value.count <= 9 else { return }
        guard digits == payeeBankgiro else {
            throw FeedError.forbidden(
                file: file, line: line, column: 0, reason: "payments to bankgiro \(digits), not the city's \(payeeBankgiro) (payee.bankgiro)")
        }
    }

    private mutating func finishEntry() throws {
        let entry = self.entry
        func reject(_ reason: String, line: Int? = nil) -> FeedError {
            FeedError.forbidden(file: file, line: line ?? entry.line, column: 0, reason: reason)
        }
        guard let credit = entry.credit else { throw reject("an entry without CdtDbtInd") }
        guard credit != entry.reversal else {
            skipped.append(entry.reversal ? "a reversed debit (line \(entry.line))" : "a debit entry (line \(entry.line))")
            return
        }
        guard let booking = entry.bookingDate.flatMap({ CalendarDate($0) }) else {
            throw reject("an entry without a booking date (BookgDt), or one that is not a date")
        }
        let parts = entry.transactions.isEmpty ? [Transaction(line: entry.line)] : entry.transactions
        for (index, part) in parts.enumerated() {
            let amountText = part.amount ?? (parts.count == 1 ? entry.amount : nil)
            guard let amountText, let amount = Self.money(amountText) else {
                throw reject("amount \(Quote.excerpt(part.amount ?? entry.amount ?? "none")) is not an amount in kronor and öre", line: part.line)
            }
            let currency = (part.amount == nil ? entry.currency : part.currency) ?? entry.currency
            guard currency == "SEK" else { throw reject("currency \(Quote.excerpt(currency ?? "none")), not SEK", line: part.line) }
            guard let key = part.reference ?? entry.reference.map({ parts.count > 1 ? "\($0)#\(index + 1)" : $0 }) ?? part.endToEnd else {
                throw reject("a payment without the bank's reference (AcctSvcrRef or NtryRef)", line: part.line)
            }
            count += 1
            try deliver(
                IncomingPayment(
                    format: .camt054, bankKey: "camt:" + key, amount: entry.reversal ? Money(ore: -amount.ore) : amount, currency: "SEK",
                    paymentDate: booking, valueDate: entry.valueDate.flatMap { CalendarDate($0) }, references: part.creditorReferences,
                    text: part.unstructured.isEmpty ? nil : part.unstructured.joined(separator: " "), payerName: part.payerName,
                    payerID: part.payerID, isReversal: entry.reversal, line: part.line))
        }
    }

    /// "7850.00" → 785 000 öre; more than two decimals, a sign or a bound exceeded is not an amount.
    static func money(_ text: String) -> Money? {
        guard let value = ExactDecimal(text), !value.isNegative, value.magnitude <= ExactDecimal(IncomingPayment.limit),
            let money = value.exactMoney
        else { return nil }
        return money
    }
}
