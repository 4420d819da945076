import Foundation
import Mustache
import SubletDomain
import SubletStorage

/// `sublet stats` in its four forms: a table, CSV (Swedish spreadsheet dialect), JSON and an
/// HTML page with a bar chart per month (inline SVG, nothing fetched from the network).
public struct IndicatorReport: Sendable {
    public let indicators: Indicators

    public init(_ indicators: Indicators) {
        self.indicators = indicators
    }

    public static let templateName = "stats.html.mustache"

    /// Column titles, in Swedish for the managers who read the report.
    static let columns = [
        ("administered_contracts", "Administrerade kontrakt (kontraktsmånader)"), ("new_contracts", "Nya kontrakt"),
        ("notices_issued", "Utfärdade avier"), ("corrections", "Korrigeringar"), ("billable_corrections", "Debiterade korrigeringar"),
        ("waived_fees", "Efterskänkta avgifter"), ("fee_revenue", "Intäkt tilläggstjänster, kr"),
        ("unidentified_payments", "Oidentifierade inbetalningar"),
    ]

    static func values(_ figures: IndicatorFigures, money: (Money) -> String) -> [String] {
        [
            figures.administeredContracts, figures.newContracts, figures.noticesIssued, figures.corrections, figures.billableCorrections,
            figures.waivedFees,
        ].map(String.init) + [money(figures.feeRevenue), String(figures.unidentifiedPayments)]
    }

    /// Rows per district and a total row: code, name, then the figures. `total` names the
    /// total row in the reader's language: the administrators' table is English, what the
    /// districts read (CSV, HTML) Swedish.
    func rows(money: (Money) -> String, total: [String] = ["Totalt", "Alla stadsdelsförvaltningar"]) throws -> [[String]] {
        try indicators.districts.map { [$0.code, $0.name] + Self.values(try indicators.figures(district: $0.code), money: money) }
            + [total + Self.values(try indicators.total(), money: money)]
    }

    public func table() throws -> (header: [String], rows: [[String]]) {
        (
            ["DISTRICT", "NAME", "ADMINISTERED", "NEW", "NOTICES", "CORRECTIONS", "BILLABLE", "WAIVED", "FEE REVENUE", "UNIDENTIFIED"],
            try rows(money: \.swedish, total: ["TOTAL", "All districts"])
        )
    }

    /// For the managers' spreadsheets: Swedish headers, decimal comma.
    public func csv() throws -> Data {
        var text = CSVWriter.row(["Stadsdel", "Namn"] + Self.columns.map(\.1), delimiter: ";")
        for row in try rows(money: \.plainSwedish) { text += CSVWriter.row(row, delimiter: ";") }
        return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    }

    public func json() throws -> String {
        func figures(_ value: IndicatorFigures) -> FiguresJSON {
            FiguresJSON(
                administeredContracts: value.administeredContracts, newContracts: value.newContracts, noticesIssued: value.noticesIssued,
                corrections: value.corrections, billableCorrections: value.billableCorrections, waivedFees: value.waivedFees,
                feeRevenue: value.feeRevenue.plain, unidentifiedPayments: value.unidentifiedPayments)
        }
        return try JSONShape.encode(
            ReportJSON(
                range: indicators.range.description, from: indicators.range.first.description, to: indicators.range.last.description,
                districts: try indicators.districts.map {
                    DistrictJSON(code: $0.code, name: $0.name, figures: figures(try indicators.figures(district: $0.code)))
                },
                total: figures(try indicators.total()),
                months: try indicators.range.periods.map { MonthJSON(period: $0.description, figures: figures(try indicators.figures(month: $0))) }
            ))
    }

    /// The Swedish table of the HTML page and the portal: column titles, then a row per district
    /// and the total.
    public func swedishTable() throws -> (header: [String], rows: [[String]]) {
        (["Stadsdel", "Namn"] + Self.columns.map(\.1), try rows(money: \.swedish))
    }

    /// The page's four bar charts (inline SVG, styled by the classes `chart`, `bar`, `axis`).
    public func charts() throws -> [String] {
        let keys = ["administered_chart", "revenue_chart", "unidentified_chart", "corrections_chart"]
        let charts = try chartsByName()
        return keys.compactMap { charts[$0] }
    }

    public func html(templatesDirectory: String?) throws -> String {
        let template = try Templates(directory: templatesDirectory).mustache(Self.templateName)
        var context: [String: Any] = [
            "range": indicators.range.description,
            "from": indicators.range.first.swedishName,
            "to": indicators.range.last.swedishName,
            "columns": Self.columns.map { ["title": $0.1] },
            "rows": try rows(money: \.swedish).map { ["cells": $0.map { ["value": $0] }] },
        ]
        for (name, svg) in try chartsByName() { context[name] = svg }
        return template.render(context)
    }

    private func chartsByName() throws -> [String: String] {
        let monthly = try indicators.range.periods.map { (period: BillingPeriod) throws -> (BillingPeriod, IndicatorFigures) in
            (period, try indicators.figures(month: period))
        }
        return [
            "administered_chart": BarChart(
                title: "Administrerade kontrakt per månad",
                bars: monthly.map { ($0.0, Double($0.1.administeredContracts)) },
                label: { String(Int($0)) }
            ).svg,
            "revenue_chart": BarChart(
                title: "Intäkt tilläggstjänster per månad, kr",
                bars: monthly.map { ($0.0, Double($0.1.feeRevenue.ore) / 100) },
                label: { Money(ore: Int(($0 * 100).rounded())).swedish }
            ).svg,
            "unidentified_chart": BarChart(
                title: "Oidentifierade inbetalningar per månad",
                bars: monthly.map { ($0.0, Double($0.1.unidentifiedPayments)) },
                label: { String(Int($0)) }
            ).svg,
            "corrections_chart": BarChart(
                title: "Korrigeringar per månad",
                bars: monthly.map { ($0.0, Double($0.1.corrections)) },
                label: { String(Int($0)) }
            ).svg,
        ]
    }

    struct FiguresJSON: Encodable {
        var administeredContracts, newContracts, noticesIssued, corrections, billableCorrections, waivedFees: Int
        var feeRevenue: String
        var unidentifiedPayments: Int
        enum CodingKeys: String, CodingKey {
            case administeredContracts = "administered_contracts"
            case newContracts = "new_contracts"
            case noticesIssued = "notices_issued"
            case corrections
            case billableCorrections = "billable_corrections"
            case waivedFees = "waived_fees"
            case feeRevenue = "fee_revenue"
            case unidentifiedPayments = "unidentified_payments"
        }
    }

    struct DistrictJSON: Encodable {
        var code: String
        var name: String
        var figures: FiguresJSON
    }

    struct MonthJSON: Encodable {
        var period: String
        var figures: FiguresJSON
    }

    struct ReportJSON: Encodable {
        var range, from, to: String
        var districts: [DistrictJSON]
        var total: FiguresJSON
        var months: [MonthJSON]
    }
}

/// A bar chart as inline SVG: one bar per month, its value above it, the month below.
struct BarChart {
    var title: String
    var bars: [(BillingPeriod, Double)]
    var label: (Double) -> String

    var svg: String {
        let width = 720.0, height = 260.0, top = 40.0, bottom = 36.0, left = 16.0
        let plot = height - top - bottom
        let slot = (width - 2 * left) / Double(max(bars.count, 1))
        let maximum = max(bars.map(\.1).max() ?? 0, 1)
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">",
            "<title>\(escape(title))</title>",
            "<text x=\"\(left)\" y=\"22\" class=\"chart-title\">\(escape(title))</text>",
            "<line x1=\"\(left)\" y1=\"\(top + plot)\" x2=\"\(width - left)\" y2=\"\(top + plot)\" class=\"axis\"/>",
        ]
        for (index, (period, value)) in bars.enumerated() {
            let barHeight = plot * value / maximum
            let x = left + Double(index) * slot + slot * 0.15
            let barWidth = slot * 0.7
            let y = top + plot - barHeight
            let centre = x + barWidth / 2
            parts.append(
                "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(barWidth))\" height=\"\(format(barHeight))\" class=\"bar\"><title>\(period): \(escape(label(value)))</title></rect>"
            )
            parts.append("<text x=\"\(format(centre))\" y=\"\(format(y - 5))\" class=\"value\" text-anchor=\"middle\">\(escape(label(value)))</text>")
            let month = String(BillingPeriod.swedishMonthNames[period.month - 1].prefix(3))
            parts.append("<text x=\"\(format(centre))\" y=\"\(format(top + plot + 18))\" class=\"month\" text-anchor=\"middle\">\(month)</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
