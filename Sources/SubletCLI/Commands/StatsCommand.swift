import ArgumentParser
import Foundation
import SubletApp
import SubletDomain
import SubletStorage

struct StatsCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The operational plan's indicators per district and in total.",
        discussion: """
            Administered contracts (contract-months noticed), new contracts set up, notices issued, corrections, \
            billable corrections, waived fees, fee revenue, unidentified payments. Default range: this year. The \
            table is for the administrators (English); the CSV and HTML files are for the districts (Swedish).

            Examples:
              sublet stats
              sublet stats --tertial 2026-T2 --district RK
              sublet stats --year 2026 --format html -o stats-2026.html
              sublet stats --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("A calendar year.", valueName: "YYYY")) var year: Parsed<Year>?
    @Option(help: ArgumentHelp("A tertial: YYYY-T1 (Jan–Apr), T2 (May–Aug) or T3 (Sep–Dec).", valueName: "YYYY-Tn")) var tertial: Parsed<Tertial>?
    @Option(help: ArgumentHelp("One month.", valueName: "YYYY-MM")) var period: Parsed<BillingPeriod>?
    @Option(help: "Only this district.") var district: Parsed<DistrictCode>?
    @Option(help: "table, csv, json or html (html needs --out).") var format: Format?
    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?
    var access: SubletApp.DatabaseAccess { .readOnly }

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, html }

    func validate() throws {
        guard [year?.text, tertial?.text, period?.text].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --year, --tertial or --period")
        }
        if format == .html, out == nil { throw ValidationError("--format html needs --out FILE") }
        if global.json, let format, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) ask for two different outputs: give one of them")
        }
    }

    func run(_ app: SubletApp, _ output: Output) throws {
        let range = try year.value("--year")?.range ?? tertial.value("--tertial")?.range ?? period.value("--period").map(ReportingRange.month)
        let report = try app.indicators(over: range, district: try district.value("--district")?.code)
        let shown = report.indicators.range
        let data: Data
        switch format ?? (output.json ? .json : .table) {
        case .table:
            let (header, rows) = try report.table()
            guard out != nil else {
                output.line("Indicators \(shown) (\(shown.first)–\(shown.last))")
                output.table(header, rows, numeric: Set(2..<header.count))
                return
            }
            data = Data((([header] + rows).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n").utf8)
        case .csv: data = try report.csv()
        case .json: data = Data((try report.json() + "\n").utf8)
        case .html: data = Data(try report.html(templatesDirectory: app.settings.paths.templates).utf8)
        }
        if let out {
            try FileOutput.createFolder(URL(fileURLWithPath: out).deletingLastPathComponent().path)
            try FileOutput.write(data, to: out)
            if !output.json { output.line("Wrote the indicators for \(shown) to \(out).") }
        } else {
            output.sink.write(String(decoding: data, as: UTF8.self))
        }
    }
}

/// A calendar year, `2026`.
struct Year: CommandLineValue {
    let range: ReportingRange
    static func parse(_ text: String) throws -> Year {
        guard text.count == 4, let value = Int(text), let range = ReportingRange.year(value) else {
            throw FieldError("\(Quote.excerpt(text)) is not a year")
        }
        return Year(range: range)
    }
}

/// A tertial, `2026-T2`.
struct Tertial: CommandLineValue {
    let range: ReportingRange
    static func parse(_ text: String) throws -> Tertial {
        let parsed = try ReportingRange.parse(text)
        guard parsed.description.contains("-T") else { throw FieldError("\(Quote.excerpt(text)) is not a tertial (YYYY-T1, T2 or T3)") }
        return Tertial(range: parsed)
    }
}
