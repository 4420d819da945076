import Foundation
import Mustache
import SubletDomain
import SubletStorage

/// The district offices' reconciliation reports (issue #4 §4): for every district that buys the
/// service in the month, `outbox/<district>/<period>/avstamning-<district>-<period>.csv` (Swedish
/// spreadsheet dialect) and `.html` (summary and every discrepancy), holding only its own leases
/// and no personal identity numbers; and the administration's own report of lines that matched
/// no lease and of findings, in `outbox/administration/<period>/`. Every file is written to a
/// temporary name and renamed into place.
public struct ReconciliationReports: Sendable {
    /// Where the reports go (`paths.outbox`).
    public let outbox: String
    /// The district's HTML page, loaded once.
    let template: MustacheTemplate

    /// Loads the template (`paths.templates`, else the compiled-in one): a configuration error
    /// before any work, and once per process however many months are built.
    public init(settings: Settings) throws(ConfigurationError) {
        outbox = settings.paths.outbox
        template = try Templates(directory: settings.paths.templates).mustache(Self.templateName)
    }

    public static let templateName = "reconciliation.html.mustache"

    /// A district's report for a month, without its extension (`.csv`, `.html`): the name the
    /// district receives and the portal serves.
    public static func fileBase(district: String, period: BillingPeriod) -> String { "avstamning-\(district)-\(period)" }
    public static let administrationFolder = "administration"

    public struct Written: Sendable, Equatable {
        public var district: String
        public var files: [String]
        public var discrepancies: Int
    }

    /// Builds the month's reports: every subscribing district's, then the administration's.
    /// `generated` is when, in Stockholm's time, the page says it was made.
    public func build(period: BillingPeriod, database: SubletDatabase, reconciler: Reconciler, generated: String) throws -> [Written] {
        let reconciliation = try database.reconcile(period: period, reconciler: reconciler)
        var written: [Written] = []
        for district in try database.subscribedDistricts(in: period) {
            let rows = reconciliation.rows(district: district.code).sorted { ($0.status, $0.lease.id) < ($1.status, $1.lease.id) }
            let folder = "\(outbox)/\(district.code)/\(period)"
            try FileOutput.createFolder(folder)
            let base = "\(folder)/" + Self.fileBase(district: district.code, period: period)
            try FileOutput.write(csv(rows, names: reconciliation.landlordNames), to: base + ".csv")
            let sources = try database.sourceFiles(ofInvoices: Set(rows.flatMap(\.invoices)))
            let page = try html(
                template, district: district, period: period, rows: rows, names: reconciliation.landlordNames,
                provenance: (generated, sources))
            try FileOutput.write(Data(page.utf8), to: base + ".html")
            written.append(
                Written(district: district.code, files: [base + ".csv", base + ".html"], discrepancies: rows.filter { $0.status != .ok }.count))
        }
        let folder = "\(outbox)/\(Self.administrationFolder)/\(period)"
        try FileOutput.createFolder(folder)
        let path = "\(folder)/avstamning-administration-\(period).csv"
        try FileOutput.write(administrationCSV(reconciliation), to: path)
        written.append(
            Written(
                district: Self.administrationFolder, files: [path],
                discrepancies: reconciliation.unmatched.count + reconciliation.findings.count))
        return written
    }

    /// In Swedish, for the district offices; `Statuskod` is the stable code (`ok`, `overbilled`, …) to filter on.
    static let csvHeader = [
        "Status", "Statuskod", "Kontrakt", "Hyresvärd orgnr", "Hyresvärd", "Objekt", "Adress", "Typ", "Månad",
        "Förväntat", "Fakturerat", "Skillnad", "Fakturor", "Radtexter",
    ]

    /// Every lease of the district in the month, the Swedish spreadsheet dialect.
    func csv(_ rows: [LeaseMonth], names: [String: String]) -> Data {
        var text = CSVWriter.row(Self.csvHeader, delimiter: ";")
        for row in rows {
            text += CSVWriter.row(
                [
                    row.status.swedish, row.status.rawValue, row.lease.id, row.lease.landlord, names[row.lease.landlord] ?? "", row.lease.objectID,
                    row.lease.address ?? "", row.lease.kind?.swedish ?? "", row.period.description, row.expected.plainSwedish,
                    row.invoiced.plainSwedish,
                    row.difference.plainSwedish, row.invoices.joined(separator: " "), row.notes.joined(separator: " | "),
                ], delimiter: ";")
        }
        return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    }

    /// For the central administration, whose language is English like its command line (the
    /// districts' files are Swedish); the Swedish spreadsheet dialect all the same. `Type` is the
    /// finding's code: `unmatched_line`, `rule_failure` or `duplicate_invoice`.
    static let administrationHeader = ["Type", "Invoice", "Seller org no", "Seller", "Line", "Rule", "Amount", "Reason", "Line text"]

    func administrationCSV(_ reconciliation: Reconciliation) -> Data {
        var text = CSVWriter.row(Self.administrationHeader, delimiter: ";")
        for line in reconciliation.unmatched {
            text += CSVWriter.row(
                [
                    "unmatched_line", line.invoice, line.seller ?? "", line.sellerName ?? "", line.line ?? "", "",
                    line.amount.plainSwedish, line.reason, line.note ?? "",
                ], delimiter: ";")
        }
        for finding in reconciliation.findings {
            text += CSVWriter.row(
                [
                    finding.kind, finding.invoice, finding.seller ?? "", finding.sellerName ?? "", finding.line ?? "",
                    finding.rule ?? "", "", finding.message, "",
                ], delimiter: ";")
        }
        return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    }

    /// The district's page. `provenance`: when it was made and the invoice files it rests on.
    func html(
        _ template: MustacheTemplate, district: District, period: BillingPeriod, rows: [LeaseMonth], names: [String: String],
        provenance: (generated: String, files: [String])
    ) throws -> String {
        let counts = ReconciliationStatus.allCases.map { status in
            ["status": status.swedish, "count": String(rows.filter { $0.status == status }.count)]
        }
        let discrepancies = rows.filter { $0.status != .ok && $0.status != .pending }
        let (expected, invoiced) = (try rows.map(\.expected).sum(), try rows.map(\.invoiced).sum())
        let context: [String: Any] = [
            "district": district.name, "code": district.code, "period": period.description, "period_name": period.swedishName,
            "leases": String(rows.count), "counts": counts,
            "expected_total": expected.swedish, "invoiced_total": invoiced.swedish, "difference_total": (try invoiced - expected).swedish,
            "has_discrepancies": !discrepancies.isEmpty,
            // The column of the lines' own texts only when some row has one.
            "has_notes": discrepancies.contains { !$0.notes.isEmpty },
            "generated": provenance.generated,
            "source_files": provenance.files,
            "has_source_files": !provenance.files.isEmpty,
            "discrepancies": discrepancies.map { row -> [String: Any] in
                [
                    "status": row.status.swedish, "status_class": row.status.rawValue, "landlord": names[row.lease.landlord] ?? row.lease.landlord,
                    "object_id": row.lease.objectID, "lease": row.lease.id, "address": row.lease.address ?? "", "month": row.period.swedishName,
                    "expected": row.expected.swedish, "invoiced": row.invoiced.swedish, "difference": row.difference.swedish,
                    "invoices": row.invoices, "notes": row.notes.joined(separator: " · "),
                ]
            },
        ]
        return template.render(context)
    }
}
