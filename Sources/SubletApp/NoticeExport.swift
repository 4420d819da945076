import Foundation
import Mustache
import SubletDomain
import SubletStorage

/// Writes a period's distribution files for the print house: `notices-PERIOD.csv`,
/// `notices-PERIOD.json` and `html/NUMBER.html` (one Swedish page per notice, rendered from
/// `notice.html.mustache` in the templates folder, styled by `notice.css` beside it).
public struct NoticeExport: Sendable {
    public let configuration: Settings

    public init(configuration: Settings) {
        self.configuration = configuration
    }

    public static let templateName = "notice.html.mustache"
    public static let stylesheetName = "notice.css"

    public struct Summary: Sendable, Equatable {
        public var notices: Int
        public var total: Money
        public var csvPath: String
        public var jsonPath: String
        public var htmlDirectory: String
    }

    /// The notice page's template, or a configuration error naming `paths.templates`.
    public func loadTemplate() throws -> MustacheTemplate {
        try Templates(directory: configuration.paths.templates).mustache(Self.templateName)
    }

    /// Writes every notice of `period` to `directory` (created if missing). The pages are written
    /// into a staging folder that replaces `html/` when complete; the CSV and JSON are written to
    /// temporary names and renamed into place, last.
    public func export(period: BillingPeriod, from database: SubletDatabase, to directory: String) throws -> Summary {
        let template = try loadTemplate()
        let files = FileManager.default
        let htmlDirectory = directory + "/html"
        let staging = directory + "/.html-partial-\(getpid())"
        try FileOutput.createFolder(directory)
        try? files.removeItem(atPath: staging)
        try FileOutput.createFolder(staging)
        defer { try? files.removeItem(atPath: staging) }
        let css = try Templates(directory: configuration.paths.templates).text(Self.stylesheetName)
        try FileOutput.writePlain(Data(css.utf8), to: staging + "/" + Self.stylesheetName)
        let csvPath = directory + "/notices-\(period).csv"
        let jsonPath = directory + "/notices-\(period).json"
        let csv = FileOutput.Stream()
        let json = FileOutput.Stream()
        csv.append(
            CSVWriter.row([
                "notice_number", "contract", "period", "kind", "issue_date", "due_date", "ocr", "total", "payee_bankgiro",
                "tenant_name", "address", "district", "object_id", "lines",
            ]))
        json.append("{\n\"notices\": [\n")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var count = 0
        var total = Money.zero
        try database.forEachNoticeDocument(period: period) { document in
            let notice = document.notice
            let page = template.render(try renderContext(document))
            try FileOutput.writePlain(Data(page.utf8), to: staging + "/\(notice.number).html")
            csv.append(
                CSVWriter.row([
                    notice.number, notice.contractNumber, notice.period.description, notice.kind.rawValue,
                    notice.issueDate.description, notice.dueDate.description, notice.ocr, notice.total.plain,
                    configuration.payee.bankgiro.description, document.tenantName, document.address, document.district,
                    document.objectID ?? "", notice.lines.map { "\($0.text)=\($0.amount.plain)" }.joined(separator: "|"),
                ]))
            if count > 0 { json.append(",\n") }
            json.append(try encoder.encode(JSONShape.PrintNoticeJSON(document)))
            count += 1
            try total += notice.total
        }
        let header = try JSONShape.encode(
            ExportHeader(
                period: period.description, count: count, total: total.plain,
                payeeName: configuration.payee.name, payeeBankgiro: configuration.payee.bankgiro.description
            ), pretty: false)
        // Close the array, then the header's fields after it in the same object.
        json.append("\n],\n" + header.dropFirst() + "\n")
        try? files.removeItem(atPath: htmlDirectory)
        guard rename(staging, htmlDirectory) == 0 else { throw OutputError.system(path: htmlDirectory, reason: String(cString: strerror(errno))) }
        try FileOutput.write(csv.data, to: csvPath)
        try FileOutput.write(json.data, to: jsonPath)
        return Summary(notices: count, total: total, csvPath: csvPath, jsonPath: jsonPath, htmlDirectory: htmlDirectory)
    }

    struct ExportHeader: Encodable {
        var period: String
        var count: Int
        var total: String
        var payeeName: String
        var payeeBankgiro: String
        enum CodingKeys: String, CodingKey {
            case period, count, total
            case payeeName = "payee_name"
            case payeeBankgiro = "payee_bankgiro"
        }
    }

    /// The values a notice template can use (documented in docs/formats.md).
    public func renderContext(_ document: NoticeDocument) throws -> [String: Any] {
        let notice = document.notice
        let vat = try notice.lines.map(\.vatAmount).sum()
        return [
            "number": notice.number,
            "contract": notice.contractNumber,
            "period": notice.period.description,
            "period_name": notice.period.swedishName,
            "kind": notice.kind.rawValue,
            "title": notice.kind == .regular ? "Hyresavi" : "Avi – retroaktiv justering",
            "issue_date": notice.issueDate.description,
            "due_date": notice.dueDate.description,
            "ocr": notice.ocr,
            "total": notice.total.swedish,
            "has_vat": vat != .zero,
            "vat_total": vat.swedish,
            "tenant_name": document.tenantName,
            "address": document.address,
            "district": document.district,
            "object_id": document.objectID ?? "",
            "payee_name": configuration.payee.name,
            "payee_bankgiro": configuration.payee.bankgiro.description,
            "stylesheet": Self.stylesheetName,
            "lines": notice.lines.map { line -> [String: Any] in
                var values: [String: Any] = ["text": line.text, "amount": line.amount.swedish]
                // Absent, not empty, so that {{#vat}} is false for an exempt line.
                if line.vatRate != 0 { values["vat"] = "varav moms \(line.vatRate) %: \(line.vatAmount.swedish)" }
                return values
            },
        ]
    }
}
