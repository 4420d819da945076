import ArgumentParser
import Foundation
import InvoiceFeed
import SubletApp
import SubletDomain
import SubletStorage

struct PaymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Incoming payments (camt.054 and BgMax): import, the queue, assigning and returning.",
        discussion: """
            Examples:
              sublet payments import camt054-2026-12-02.xml
              sublet payments unidentified
            """,
        subcommands: [Import.self, List.self, Show.self, Unidentified.self, Assign.self, Return.self, Unassign.self]
    )

    struct Import: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import payment files (each in one transaction), camt.054 or BgMax, told apart by content.",
            discussion:
                """
                Payments with a valid OCR reference are applied to their notice at once; the rest go to the queue (payments unidentified). A rejected file stores nothing and the command exits 65 naming it (66 when it cannot be read). The same file again is a no-op; a payment reported in two files is stored once.

                Examples:
                  sublet payments import camt054-2026-12-02.xml
                  sublet payments import bgmax-2026-11.txt --json
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "camt.054 XML or BgMax files.") var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one file") }
        }

        func run(_ app: SubletApp, _ out: Output) throws {
            try app.requireSafeConfiguration(folders: .databaseAndOutbox)
            try FileBatch.run(files, out) { file in
                let bar = ProgressBar(out, label: "Importing \(URL(fileURLWithPath: file).lastPathComponent)", unit: "payments")
                defer { bar.finish() }
                let result = try app.importPayments(file: file) { bar.update($0.parsedBytes, of: $0.size, items: $0.items) }
                return (PaymentImportJSON(file: file, result: result), Self.summary(file, result))
            } rejection: { file, error in
                error is FeedError || error is PaymentFileError ? PaymentImportJSON(file: file, rejection: error) : nil
            }
        }

        static func summary(_ file: String, _ result: PaymentImportResult) -> String {
            let outcome = result.outcome
            guard !outcome.alreadyImported else { return "\(file): imported before; nothing to do." }
            var line =
                "\(file): \(result.format.rawValue), \(outcome.payments) payment(s) (\(outcome.tiers)), \(outcome.duplicates) reported before; \(outcome.applied.swedish) kr applied to notices, \(outcome.credited.swedish) kr credit or refund."
            if !result.skipped.isEmpty { line += "\n  skipped: \(result.skipped.joined(separator: "; "))" }
            return line
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List payments, oldest first.",
            discussion: """
                Examples:
                  sublet payments list --period 2026-12
                  sublet payments list --status unidentified --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only payments made this month.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
        @Option(help: "Only payments in this state: applied, unidentified or returned.") var status: String?
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let state = try status.map { text in
                guard let state = StoredPayment.State(rawValue: text) else {
                    throw UsageError("--status: \(Quote.excerpt(text)) is not a state (applied, unidentified or returned)")
                }
                return state
            }
            let payments = try app.payments(period: try period.value("--period"), state: state)
            if out.json {
                try out.json(payments.map { PaymentJSON($0) })
                return
            }
            out.table(
                ["ID", "DATE", "AMOUNT", "UNAPPLIED", "TIER", "STATE", "REFERENCE", "PAYER"],
                payments.map { payment in
                    [
                        String(payment.id), payment.paymentDate.description, payment.amount.swedish, payment.unapplied.swedish,
                        payment.tier.rawValue, payment.state.rawValue, payment.reference ?? "",
                        SensitiveText.masked(payment.payerName ?? ""),
                    ]
                }, numeric: [0, 2, 3])
        }
    }

    struct Show: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one payment and what was done with it.",
            discussion: """
                Examples:
                  sublet payments show 4711
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Payment id (from payments list).") var id: Int64
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let payment = try app.payment(id: id)
            if out.json {
                try out.json(PaymentJSON(payment))
                return
            }
            out.line(
                "Payment \(payment.id): \(payment.amount.swedish) kr on \(payment.paymentDate) (\(payment.format), \(payment.file) line \(payment.line))"
            )
            out.line(
                "Reference \(payment.reference ?? "—"); matched by \(payment.tier.rawValue); \(payment.state.rawValue), \(payment.unapplied.swedish) kr unapplied"
            )
            out.line(
                "Payer "
                    + [SensitiveText.masked(payment.payerName ?? "—"), payment.payerID.map(PaymentJSON.masked)].compactMap { $0 }.joined(
                        separator: ", "))
            if let text = payment.text { out.line("Text: \(SensitiveText.masked(text))") }
            guard !payment.applications.isEmpty else { return }
            out.line()
            out.table(
                ["ID", "KIND", "NOTICE", "CONTRACT", "AMOUNT", "REVERSES", "REASON", "BY", "AT"],
                payment.applications.map {
                    [
                        String($0.id), $0.kind, $0.notice ?? "", $0.contract ?? "", $0.amount.swedish, $0.reversesID.map(String.init) ?? "",
                        $0.reason ?? "", $0.by, $0.at,
                    ]
                }, numeric: [0, 4])
        }
    }

    struct Unidentified: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "The queue: payments not (wholly) placed, each with suggestions, a score and a reason.",
            discussion: """
                Examples:
                  sublet payments unidentified
                  sublet payments unidentified --json
                """)

        @OptionGroup var global: GlobalOptions
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let queue = try app.unidentifiedPayments()
            if out.json {
                try out.json(queue.map { PaymentJSON($0.payment, suggestions: $0.suggestions) })
                return
            }
            if queue.isEmpty { out.line("The queue is empty.") }
            for (payment, suggestions) in queue {
                out.line(
                    "\(payment.id)  \(payment.paymentDate)  \(payment.unapplied.swedish) kr  ref \(payment.reference ?? "—")  \(SensitiveText.masked(payment.payerName ?? ""))  [\(payment.tier.rawValue)]"
                )
                for suggestion in suggestions.prefix(5) {
                    out.line(
                        "    \(suggestion.score)  \(suggestion.notice ?? "—")  \(suggestion.contract) (\(suggestion.district))  \(suggestion.reason)")
                }
            }
        }
    }

    struct Assign: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place what is left of a payment on a notice or a contract.",
            discussion: """
                Examples:
                  sublet payments assign 4711 --notice 2026-000123
                  sublet payments assign 4711 --contract L-0001
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Payment id.") var id: Int64
        @Option(help: "The notice it pays (its number).") var notice: String?
        @Option(help: "The contract it pays (its oldest open notice first, else credit).") var contract: String?

        func validate() throws {
            guard (notice == nil) != (contract == nil) else { throw ValidationError("give either --notice or --contract") }
        }

        func run(_ app: SubletApp, _ out: Output) throws {
            let payment = try app.assignPayment(id, notice: notice, contract: contract)
            if out.json {
                try out.json(PaymentJSON(payment))
            } else {
                out.line("Payment \(id) assigned; \(payment.unapplied.swedish) kr left unapplied.")
            }
        }
    }

    struct Return: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that what is left of a payment was sent back to the payer.",
            discussion: """
                Examples:
                  sublet payments return 4711 --reason \"not our tenant: sent back to the payer\"
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Payment id.") var id: Int64
        @Option(help: "Why (kept in the audit log).") var reason: String

        func run(_ app: SubletApp, _ out: Output) throws {
            let payment = try app.returnPayment(id, reason: reason)
            if out.json { try out.json(PaymentJSON(payment)) } else { out.line("Payment \(id) returned.") }
        }
    }

    struct Unassign: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo a payment's applications with reversing rows; it goes back to the queue.",
            discussion: """
                Examples:
                  sublet payments unassign 4711 --reason \"applied to the wrong notice\"
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Payment id.") var id: Int64
        @Option(help: "Why (kept with the reversing rows and in the audit log).") var reason: String

        func run(_ app: SubletApp, _ out: Output) throws {
            let payment = try app.unassignPayment(id, reason: reason)
            if out.json {
                try out.json(PaymentJSON(payment))
            } else {
                out.line("Payment \(id) unassigned; \(payment.unapplied.swedish) kr back in the queue.")
            }
        }
    }
}
