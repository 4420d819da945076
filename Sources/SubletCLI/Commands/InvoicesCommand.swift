import ArgumentParser
import Foundation
import InvoiceFeed
import SubletDomain
import SubletJobs
import SubletStorage

struct InvoicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "Landlords' e-invoices (PEPPOL BIS Billing 3.0).",
        subcommands: [Ingest.self, List.self, Show.self]
    )

    struct Ingest: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Take in invoice files (each in one transaction).",
            discussion: "Every good file is stored; a rejected file (unreadable, hostile, unidentifiable) stores nothing and the command exits 65 naming it. The same file again is a no-op; the same invoice in another file is recorded as a duplicate that never counts."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "XML files.") var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one file") }
        }

        func execute(_ environment: CommandEnvironment) throws {
            let ingest = InvoiceIngest(database: try environment.openDatabase(), configuration: environment.configuration)
            var results: [FileJSON] = []
            var rejected: [String] = []
            var unreadable = false
            for file in files {
                do {
                    let outcome = try ingest.ingest(path: file, context: environment.context)
                    results.append(FileJSON(file: file, status: outcome.alreadyIngested ? "already_ingested" : "ingested", invoices: outcome.invoices,
                                            duplicates: outcome.duplicates, ruleFailures: outcome.ruleFailures, error: nil))
                    if !environment.json {
                        Output.line(outcome.alreadyIngested
                            ? "\(file): taken in before; nothing to do."
                            : "\(file): \(outcome.invoices) invoice(s), \(outcome.duplicates) duplicate(s), \(outcome.ruleFailures) rule failure(s).")
                    }
                } catch let error as FeedError {
                    unreadable = unreadable || error.isUnreadableInput
                    rejected.append(error.description)
                    results.append(FileJSON(file: file, status: "rejected", invoices: 0, duplicates: 0, ruleFailures: 0,
                                            error: SensitiveText.masked(error.description)))
                }
            }
            if environment.json { try Output.json(results) }
            guard rejected.isEmpty else {
                let message = "\(rejected.count) of \(files.count) file(s) rejected, nothing stored from them:\n" + rejected.joined(separator: "\n")
                // A file that could not be read at all is a missing input (66); otherwise a rejection (65).
                if unreadable { throw InputFileError(message) }
                throw RejectedError(message)
            }
        }

        struct FileJSON: Encodable {
            var file, status: String
            var invoices, duplicates, ruleFailures: Int
            @NullWhenAbsent var error: String?
            enum CodingKeys: String, CodingKey { case file, status, invoices, duplicates, ruleFailures = "rule_failures", error }
        }
    }

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List invoices taken in.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this landlord's (organisation number).") var landlord: String?
        @Option(help: ArgumentHelp("Only invoices billing this month.", valueName: "YYYY-MM")) var period: String?

        func execute(_ environment: CommandEnvironment) throws {
            let seller = try landlord.map { text in try parseOption("--landlord", text) { try OrganisationNumber(parsing: $0).digits } }
            let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } }
            let invoices = try environment.openDatabase(readOnly: true).invoices(landlord: seller, period: month)
            if environment.json { try Output.json(invoices.map(InvoiceJSON.init)); return }
            Output.table(["ID", "KIND", "NUMBER", "SELLER", "ISSUED", "PERIOD", "AMOUNT DUE", "FINDINGS"], invoices.map { invoice in
                [String(invoice.id), invoice.kind.rawValue, invoice.number, invoice.sellerName ?? invoice.seller ?? "", invoice.issueDate.description,
                 [invoice.periodStart, invoice.periodEnd].compactMap { $0 }.joined(separator: "–"), invoice.payable.swedish,
                 invoice.duplicateOf != nil ? "duplicate" : (invoice.findings.isEmpty ? "" : "\(invoice.findings.count)")]
            }, numeric: [0, 6])
        }
    }

    struct Show: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "Show one invoice: lines, months, findings and source file.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Invoice id (from invoices list).") var id: Int64

        func execute(_ environment: CommandEnvironment) throws {
            let invoice = try environment.openDatabase(readOnly: true).invoice(id: id)
            if environment.json { try Output.json(InvoiceJSON(invoice)); return }
            Output.line("\(invoice.kind == .invoice ? "Invoice" : "Credit note") \(invoice.number) from \(invoice.sellerName ?? "?") (\(invoice.seller ?? "no organisation number"))")
            Output.line("Issued \(invoice.issueDate), due \(invoice.dueDate ?? "—"), period \([invoice.periodStart, invoice.periodEnd].compactMap { $0 }.joined(separator: "–")), \(invoice.currency)")
            Output.line("Contract reference \(invoice.contractReferences.joined(separator: ", ")), amount due \(invoice.payable.swedish)")
            Output.line("Source: \(invoice.file), line \(invoice.sourceLine)" + (invoice.duplicateOf.map { "; duplicate of invoice \($0), never counted" } ?? ""))
            Output.line()
            Output.table(["LINE", "ITEM", "OBJECT", "BUYER ID", "PERIOD", "AMOUNT", "MONTHS"], invoice.lines.map { line in
                [line.lineID ?? "", line.itemName ?? "", line.sellersItemID ?? line.objectReference ?? "", line.buyersItemID ?? "",
                 [line.periodStart, line.periodEnd].compactMap { $0 }.joined(separator: "–"), line.amount.swedish,
                 line.months.keys.sorted().map { "\($0) \(line.months[$0]!.swedish)" }.joined(separator: ", ")]
            }, numeric: [5])
            if !invoice.findings.isEmpty {
                Output.line()
                Output.line("Findings")
                for finding in invoice.findings {
                    Output.line("  \(finding.kind) \(finding.rule ?? "")\(finding.line.map { " line \($0)" } ?? ""): \(finding.message)")
                }
            }
        }
    }

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
                LineJSON(line: $0.lineID, amount: $0.amount.plain, itemName: $0.itemName, note: $0.note, sellersItemID: $0.sellersItemID,
                         buyersItemID: $0.buyersItemID, objectReference: $0.objectReference,
                         months: Dictionary(uniqueKeysWithValues: $0.months.map { ($0.key.description, $0.value.plain) }))
            }
            findings = invoice.findings.map { FindingJSON(kind: $0.kind, rule: $0.rule, line: $0.line, message: $0.message) }
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, number, seller, sellerName = "seller_name", issueDate = "issue_date", dueDate = "due_date", currency
            case periodStart = "period_start", periodEnd = "period_end", contractReferences = "contract_references", payable, file
            case sourceLine = "source_line", duplicateOf = "duplicate_of", lines, findings
        }

        /// Every key is always present (absent values are `null`), so the shape is stable for scripts.
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
            case line, amount, itemName = "item_name", note, sellersItemID = "sellers_item_id", buyersItemID = "buyers_item_id"
            case objectReference = "object_reference", months
        }
    }

    struct FindingJSON: Encodable {
        var kind: String
        @NullWhenAbsent var rule: String?
        @NullWhenAbsent var line: String?
        var message: String

        enum CodingKeys: String, CodingKey { case kind, rule, line, message }
    }
}

struct ReconcileCommand: SubletSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare the landlords' invoices with the head leases for a month.",
        discussion: "Per lease: ok, overbilled, underbilled, missing (no invoice once the month has begun and reconciliation.grace_days have passed), not_expected (invoiced while not active), or pending (not yet due); plus lines that matched no lease, rule failures and duplicates."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The month, YYYY-MM (default: last month).", valueName: "YYYY-MM")) var period: String?
    @Option(help: "Only this district's leases.") var district: String?

    func execute(_ environment: CommandEnvironment) throws {
        let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } } ?? environment.today.period.previous
        let code = try district.map { text in try parseOption("--district", text) { try ContractDraft.validateDistrictCode($0) } }
        let configuration = environment.configuration
        let result = try environment.openDatabase(readOnly: true).reconcile(
            period: month, district: code,
            reconciler: Reconciler(tolerance: configuration.tolerance, graceDays: configuration.graceDays, today: environment.today)
        )
        if environment.json {
            try Output.json(ReconcileJSON(result))
            return
        }
        let counts = ReconciliationStatus.allCases.map { status in "\(status.rawValue) \(result.rows.filter { $0.status == status }.count)" }
        Output.line("Reconciliation \(month): \(result.rows.count) lease(s): " + counts.joined(separator: ", "))
        Output.table(["STATUS", "LEASE", "DISTRICT", "LANDLORD", "OBJECT", "EXPECTED", "INVOICED", "DIFFERENCE", "INVOICES"],
                     result.rows.sorted { ($0.status, $0.lease.id) < ($1.status, $1.lease.id) }.map { row in
                         [row.status.rawValue, row.lease.id, row.lease.district, result.landlordNames[row.lease.landlord] ?? row.lease.landlord,
                          row.lease.objectID, row.expected.swedish, row.invoiced.swedish, row.difference.swedish, row.invoices.joined(separator: " ")]
                     }, numeric: [5, 6, 7])
        if !result.unmatched.isEmpty {
            Output.line()
            Output.line("Lines that matched no lease (\(result.unmatched.count))")
            for line in result.unmatched { Output.line("  \(line.invoice) line \(line.line ?? "?"): \(line.amount.swedish): \(line.reason)") }
        }
        if !result.findings.isEmpty {
            Output.line()
            Output.line("Findings (\(result.findings.count))")
            for finding in result.findings { Output.line("  \(finding.invoice): \(finding.kind) \(finding.rule ?? ""): \(finding.message)") }
        }
    }

    struct ReconcileJSON: Encodable {
        var period: String
        var leases: [Row]
        var unmatchedLines: [Unmatched]
        var findings: [Finding]

        init(_ result: Reconciliation) {
            period = result.period.description
            leases = result.rows.map {
                Row(status: $0.status.rawValue, lease: $0.lease.id, district: $0.lease.district, landlord: $0.lease.landlord, objectID: $0.lease.objectID,
                    expected: $0.expected.plain, invoiced: $0.invoiced.plain, difference: $0.difference.plain, invoices: $0.invoices, notes: $0.notes)
            }
            unmatchedLines = result.unmatched.map {
                Unmatched(invoice: $0.invoice, seller: $0.seller, line: $0.line, amount: $0.amount.plain, reason: $0.reason)
            }
            findings = result.findings.map { Finding(invoice: $0.invoice, kind: $0.kind, rule: $0.rule, line: $0.line, message: $0.message) }
        }

        enum CodingKeys: String, CodingKey { case period, leases, unmatchedLines = "unmatched_lines", findings }

        struct Row: Encodable {
            var status, lease, district, landlord, objectID, expected, invoiced, difference: String
            var invoices, notes: [String]
            enum CodingKeys: String, CodingKey {
                case status, lease, district, landlord, objectID = "object_id", expected, invoiced, difference, invoices, notes
            }
        }

        struct Unmatched: Encodable {
            var invoice: String
            @NullWhenAbsent var seller: String?
            @NullWhenAbsent var line: String?
            var amount, reason: String
            enum CodingKeys: String, CodingKey { case invoice, seller, line, amount, reason }
        }

        struct Finding: Encodable {
            var invoice, kind: String
            @NullWhenAbsent var rule: String?
            @NullWhenAbsent var line: String?
            var message: String
            enum CodingKeys: String, CodingKey { case invoice, kind, rule, line, message }
        }
    }
}

/// One district's report files (`district` is `administration` for the administration's own).
struct WrittenJSON: Encodable {
    var district: String
    var discrepancies: Int
    var files: [String]
}

struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "The districts' reconciliation reports.",
        subcommands: [Build.self]
    )

    struct Build: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a month's reports to paths.outbox (default: last month).",
            discussion: "For every district that subscribes in the month: outbox/<district>/<period>/avstamning-<district>-<period>.csv (';', decimal comma, UTF-8 with BOM) and .html; the administration's report of unmatched lines and findings in outbox/administration/<period>/."
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The month, YYYY-MM (default: last month).", valueName: "YYYY-MM")) var period: String?

        func execute(_ environment: CommandEnvironment) throws {
            let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } } ?? environment.today.period.previous
            let written = try ReconciliationReports(configuration: environment.configuration)
                .build(period: month, database: try environment.openDatabase(readOnly: true), today: environment.today)
            if environment.json {
                try Output.json(written.map { WrittenJSON(district: $0.district, discrepancies: $0.discrepancies, files: $0.files) })
                return
            }
            for report in written {
                Output.line("\(report.district): \(report.discrepancies) discrepanc\(report.discrepancies == 1 ? "y" : "ies") → \(report.files.joined(separator: ", "))")
            }
            if written.count <= 1 { Output.line("(Districts receive reports from the month they subscribe: sublet district set CODE --reconciliation on --from YYYY-MM.)") }
        }
    }
}
