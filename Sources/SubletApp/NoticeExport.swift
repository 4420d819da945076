import Foundation
import Mustache
import SubletDomain
import SubletStorage

/// Writes a period's distribution files for the print house: `notices-PERIOD.csv`,
/// `notices-PERIOD.json`, and the pages to print: `notices-PERIOD-001.html`, … (a batch of
/// `batchSize` notices per file, one A4 page each), or with `perNotice` one file per notice in
/// `html/NUMBER.html`. A page is `notice.html.mustache` from the templates folder inside the
/// document `notices.html.mustache`, styled by `notice.css` beside the files.
public struct NoticeExport: Sendable {
    public let configuration: Settings

    public init(configuration: Settings) {
        self.configuration = configuration
    }

    public static let templateName = "notice.html.mustache"
    public static let documentTemplateName = "notices.html.mustache"
    public static let stylesheetName = "notice.css"
    /// Notices per printable file: about 4 MB of HTML, a print job of a size print houses take.
    public static let batchSize = 1000

    public struct Summary: Sendable, Equatable {
        public var notices: Int
        public var total: Money
        public var csvPath: String
        public var jsonPath: String
        /// The printable batches, in order (none with `perNotice`).
        public var batchFiles: [String]
        /// `html/` with one page per notice, with `perNotice`.
        public var htmlDirectory: String?
    }

    /// The page and document templates, or a configuration error naming `paths.templates`.
    public func loadTemplate() throws -> (page: MustacheTemplate, document: MustacheTemplate) {
        let templates = Templates(directory: configuration.paths.templates)
        return (try templates.mustache(Self.templateName), try templates.mustache(Self.documentTemplateName))
    }

    /// Writes every notice of `period` to `directory` (created if missing). The pages are written
    /// into a staging folder whose files replace the period's earlier ones when complete; the CSV
    /// and JSON are written to temporary names and renamed into place, last. `progress` hears the
    /// number of notices written so far.
    public func export(
        period: BillingPeriod, from database: SubletDatabase, to directory: String, perNotice: Bool = false,
        batchSize: Int = NoticeExport.batchSize, progress: (Int) -> Void = { _ in }
    ) throws -> Summary {
        let (page, document) = try loadTemplate()
        let files = FileManager.default
        let staging = directory + "/.print-partial-\(getpid())"
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
        var count = 0
        var total = Money.zero
        var batch: [String] = []
        var batchNames: [String] = []
        func writeBatch() throws {
            guard !batch.isEmpty else { return }
            let name = "notices-\(period)-" + String(batchNames.count + 1).zeroPadded(to: 3) + ".html"
            let title = "Hyresavier \(period.swedishName), fil \(batchNames.count + 1)"
            let html = document.render(["title": title, "stylesheet": Self.stylesheetName, "pages": batch.joined(separator: "\n")])
            try FileOutput.writePlain(Data(html.utf8), to: staging + "/" + name)
            batchNames.append(name)
            batch.removeAll(keepingCapacity: true)
        }
        // Rendering is most of the work and pure: a chunk of notices is rendered on every core,
        // then written in order.
        var pending: [NoticeDocument] = []
        func writePending() throws {
            let rendered = try Self.parallelMap(pending) { notice in try self.render(notice, page: page) }
            for (notice, output) in zip(pending, rendered) {
                if perNotice {
                    let html = document.render([
                        "title": "\(output.title) \(notice.notice.number)", "stylesheet": Self.stylesheetName, "pages": output.page,
                    ])
                    try FileOutput.writePlain(Data(html.utf8), to: staging + "/\(notice.notice.number).html")
                } else {
                    batch.append(output.page)
                    if batch.count == batchSize { try writeBatch() }
                }
                csv.append(output.csv)
                if count > 0 { json.append(",\n") }
                json.append(output.json)
                count += 1
                try total += notice.notice.total
            }
            pending.removeAll(keepingCapacity: true)
            progress(count)
        }
        try database.forEachNoticeDocument(period: period) { notice in
            pending.append(notice)
            if pending.count == 500 { try writePending() }
        }
        try writePending()
        try writeBatch()
        let header = try JSONShape.encode(
            ExportHeader(
                period: period.description, count: count, total: total.plain,
                payeeName: configuration.payee.name, payeeBankgiro: configuration.payee.bankgiro.description
            ), pretty: false)
        // Close the array, then the header's fields after it in the same object.
        json.append("\n],\n" + header.dropFirst() + "\n")
        var htmlDirectory: String?
        if perNotice {
            let folder = directory + "/html"
            try? files.removeItem(atPath: folder)
            guard rename(staging, folder) == 0 else { throw OutputError.system(path: folder, reason: String(cString: strerror(errno))) }
            htmlDirectory = folder
        } else {
            // The period's earlier batches go (a month with fewer notices leaves none behind).
            for old in (try? files.contentsOfDirectory(atPath: directory)) ?? [] where old.hasPrefix("notices-\(period)-") && old.hasSuffix(".html") {
                try? files.removeItem(atPath: directory + "/" + old)
            }
            for name in batchNames + [Self.stylesheetName] {
                let target = directory + "/" + name
                guard rename(staging + "/" + name, target) == 0 else {
                    throw OutputError.system(path: target, reason: String(cString: strerror(errno)))
                }
            }
        }
        try FileOutput.write(csv.data, to: csvPath)
        try FileOutput.write(json.data, to: jsonPath)
        return Summary(
            notices: count, total: total, csvPath: csvPath, jsonPath: jsonPath, batchFiles: batchNames.map { directory + "/" + $0 },
            htmlDirectory: htmlDirectory)
    }

    /// One notice's page, CSV row and JSON, and its title.
    struct Rendered: Sendable {
        var title: String
        var page: String
        var csv: String
        var json: Data
    }

    func render(_ notice: NoticeDocument, page: MustacheTemplate) throws -> Rendered {
        let context = try renderContext(notice)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Rendered(
            title: context["title"] as? String ?? "", page: page.render(context), csv: try csvRow(notice),
            json: try encoder.encode(JSONShape.PrintNoticeJSON(notice)))
    }

    /// `body` over `items` on every core; the results in the items' order, or the first error.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) throws -> R) throws -> [R] {
        let results = OrderedResults<R>(items.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: items.count, by: workers) {
                let value = Result { try body(items[index]) }
                results.lock.withLock { results.values[index] = value }
            }
        }
        return try results.values.map { try $0!.get() }
    }

    func csvRow(_ document: NoticeDocument) throws -> String {
        let notice = document.notice
        return CSVWriter.row([
            notice.number, notice.contractNumber, notice.period.description, notice.kind.rawValue,
            notice.issueDate.description, notice.dueDate.description, notice.ocr, notice.total.plain,
            configuration.payee.bankgiro.description, document.tenantName, document.address, document.district,
            document.objectID ?? "", notice.lines.map { "\($0.text)=\($0.amount.plain)" }.joined(separator: "|"),
        ])
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
        var context: [String: Any] = [
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
            // The address as the envelope's lines: street, apartment, postal code and town.
            "address_lines": document.address.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            "district": document.district,
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
        // Absent, not empty: a notice without an object id has no "Objekt" row.
        if let objectID = document.objectID, !objectID.isEmpty { context["object_id"] = objectID }
        return context
    }
}

/// The results of a parallel map, each set once by one worker, read after all are done.
final class OrderedResults<R: Sendable>: @unchecked Sendable {
    let lock = NSLock()
    var values: [Result<R, any Error>?]
    init(_ count: Int) { values = Array(repeating: nil, count: count) }
}
