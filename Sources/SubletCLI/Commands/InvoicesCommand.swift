import ArgumentParser
import Foundation
import InvoiceFeed
import SubletApp
import SubletDomain
import SubletStorage

struct InvoicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "Landlords' e-invoices (PEPPOL BIS Billing 3.0).",
        discussion: """
            Examples:
              sublet invoices ingest invoices-2026-11.xml
              sublet invoices list --period 2026-11
            """,
        subcommands: [Ingest.self, List.self, Show.self]
    )

    struct Ingest: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take in invoice files (each in one transaction).",
            discussion:
                """
                Every good file is stored; a rejected file (unreadable, hostile, unidentifiable) stores nothing and the command exits 65 naming it (66 when a file cannot be read at all). The same file again is a no-op; the same invoice in another file is recorded as a duplicate that never counts.

                Examples:
                  sublet invoices ingest invoices-2026-11.xml
                  sublet invoices ingest /var/spool/sublet/rejected/fixed.xml --json
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "XML files.") var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one file") }
        }

        func run(_ app: SubletApp, _ out: Output) throws {
            try FileBatch.run(files, out) { file in
                let bar = ProgressBar(out, label: "Ingesting \(URL(fileURLWithPath: file).lastPathComponent)", unit: "documents")
                defer { bar.finish() }
                let outcome = try app.ingest(file: file) { bar.update($0.parsedBytes, of: $0.size, items: $0.items) }
                return (
                    IngestFileJSON(file: file, outcome: outcome),
                    outcome.alreadyIngested
                        ? "\(file): taken in before; nothing to do."
                        : "\(file): \(outcome.invoices) invoice(s), \(outcome.duplicates) duplicate(s), \(outcome.ruleFailures) rule failure(s)."
                )
            } rejection: { file, error in
                (error as? FeedError).map { IngestFileJSON(file: file, rejection: $0) }
            }
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List invoices taken in.",
            discussion: """
                Examples:
                  sublet invoices list --period 2026-11
                  sublet invoices list --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this landlord's (organisation number).") var landlord: Parsed<OrganisationNumber>?
        @Option(help: ArgumentHelp("Only invoices billing this month.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let invoices = try app.database.invoices(landlord: try landlord.value("--landlord")?.digits, period: try period.value("--period"))
            if out.json {
                try out.json(invoices.map(InvoiceJSON.init))
                return
            }
            out.table(
                ["ID", "KIND", "NUMBER", "SELLER", "ISSUED", "PERIOD", "AMOUNT DUE", "FINDINGS"],
                invoices.map { invoice in
                    [
                        String(invoice.id), invoice.kind.rawValue, invoice.number, invoice.sellerName ?? invoice.seller ?? "",
                        invoice.issueDate.description,
                        [invoice.periodStart, invoice.periodEnd].compactMap { $0 }.joined(separator: "–"), invoice.payable.swedish,
                        invoice.duplicateOf != nil ? "duplicate" : (invoice.findings.isEmpty ? "" : "\(invoice.findings.count)"),
                    ]
                }, numeric: [0, 6])
        }
    }

    struct Show: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one invoice: lines, months, findings and source file.",
            discussion: """
                Examples:
                  sublet invoices show 12
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Invoice id (from invoices list).") var id: Int64
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let invoice = try app.database.invoice(id: id)
            if out.json {
                try out.json(InvoiceJSON(invoice))
                return
            }
            let period = [invoice.periodStart, invoice.periodEnd].compactMap { $0 }.joined(separator: "–")
            out.line(
                "\(invoice.kind == .invoice ? "Invoice" : "Credit note") \(invoice.number) from \(invoice.sellerName ?? "?") (\(invoice.seller ?? "no organisation number"))"
            )
            out.line("Issued \(invoice.issueDate), due \(invoice.dueDate ?? "—"), period \(period), \(invoice.currency)")
            out.line("Contract reference \(invoice.contractReferences.joined(separator: ", ")), amount due \(invoice.payable.swedish)")
            out.line(
                "Source: \(invoice.file), line \(invoice.sourceLine)"
                    + (invoice.duplicateOf.map { "; duplicate of invoice \($0), never counted" } ?? ""))
            out.line()
            out.table(
                ["LINE", "ITEM", "OBJECT", "BUYER ID", "PERIOD", "AMOUNT", "MONTHS"],
                invoice.lines.map { line in
                    [
                        line.lineID ?? "", line.itemName ?? "", line.sellersItemID ?? line.objectReference ?? "", line.buyersItemID ?? "",
                        [line.periodStart, line.periodEnd].compactMap { $0 }.joined(separator: "–"), line.amount.swedish,
                        line.months.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.swedish)" }.joined(separator: ", "),
                    ]
                }, numeric: [5])
            guard !invoice.findings.isEmpty else { return }
            out.line()
            out.line("Findings")
            for finding in invoice.findings {
                out.line("  \(finding.kind) \(finding.rule ?? "")\(finding.line.map { " line \($0)" } ?? ""): \(finding.message)")
            }
        }
    }
}
