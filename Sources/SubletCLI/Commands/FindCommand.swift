import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct FindCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find contracts, tenants, addresses, personal numbers, notices, OCR references, invoices and leases.",
        discussion: """
            Words match the start of words in the register (names, addresses, contract numbers, object and lease \
            ids), all of them; a personal number matches in full (any written form) or by its last four digits, \
            and is shown masked. A notice number, an OCR reference or an invoice number matches exactly.

            Examples:
              sublet find "anna berg"
              sublet find 19900101-1234
              sublet find 1234                  # last four digits of a personal number, or a word starting 1234
              sublet find 10000000116           # an OCR reference from a payment
              sublet find hantverkargatan --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to look for.") var text: String
    @Option(help: ArgumentHelp("At most this many results.", valueName: "n")) var limit = 20
    var access: SubletApp.DatabaseAccess { .readOnly }

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit is 1 to 1000") }
    }

    func run(_ app: SubletApp, _ out: Output) throws {
        let hits = try app.find(text, limit: limit)
        if out.json {
            struct Shape: Encodable {
                var kind: String
                var key: String
                var district: String?
                var summary: String
            }
            try out.json(hits.map { Shape(kind: $0.kind.rawValue, key: $0.key, district: $0.district, summary: $0.summary) })
            return
        }
        guard !hits.isEmpty else {
            out.line("Nothing found for \(SensitiveText.masked(Quote.excerpt(text))).")
            return
        }
        out.table(["KIND", "KEY", "DISTRICT", "WHAT"], hits.map { [$0.kind.rawValue, $0.key, $0.district ?? "", $0.summary] })
    }
}
