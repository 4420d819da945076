import Foundation
import Mustache
import SubletDomain
import SubletStorage

/// The forfeiture watch per district (docs/rules.md §9), written beside its reconciliation
/// reports: `paths.outbox/<district>/<YYYY-MM>/forverkande-<district>-<date>.csv` (the Swedish
/// spreadsheet dialect) and `.html`. Tenants' names and addresses, never identity numbers.
public struct ForfeitureReports: Sendable {
    public let settings: Settings
    public static let templateName = "forfeiture.html.mustache"

    public init(settings: Settings) { self.settings = settings }

    public struct Written: Sendable, Equatable {
        public var district: String
        public var notices: Int
        public var csv: String
        public var html: String
    }

    public func write(_ watched: [OwedNotice], on day: CalendarDate, districts: [District]) throws -> [Written] {
        let template = try Templates(directory: settings.paths.templates).mustache(Self.templateName)
        var written: [Written] = []
        for (code, notices) in Dictionary(grouping: watched, by: \.district).sorted(by: { $0.key < $1.key }) {
            let folder = "\(settings.paths.outbox)/\(code)/\(day.period)"
            try FileOutput.createFolder(folder)
            let base = "\(folder)/forverkande-\(code)-\(day)"
            let rows = notices.map { notice -> [String: String] in
                [
                    "notice": notice.notice, "contract": notice.contract, "tenant": SensitiveText.masked(notice.tenant),
                    "address": SensitiveText.masked(notice.address), "due_date": notice.dueDate.description,
                    "watch_date": ForfeitureWatch.watchDate(dueDate: notice.dueDate).description, "balance": notice.balance.swedish,
                    "notified_on": notice.notifiedOn?.description ?? "",
                    "recovery_deadline": notice.notifiedOn.map { ForfeitureWatch.recoveryDeadline(notifiedOn: $0).description } ?? "",
                ]
            }
            var csv = CSVWriter.row(
                ["avi", "kontrakt", "hyresgast", "adress", "forfallodag", "pa_listan_sedan", "kvar_att_betala", "underrattad", "atervinningsfrist"],
                delimiter: ";")
            for row in rows {
                csv += CSVWriter.row(
                    ["notice", "contract", "tenant", "address", "due_date", "watch_date", "balance", "notified_on", "recovery_deadline"].map {
                        row[$0] ?? ""
                    }, delimiter: ";")
            }
            try FileOutput.write(Data([0xEF, 0xBB, 0xBF] + Array(csv.utf8)), to: base + ".csv")
            let total = try notices.map(\.balance).sum()
            let page = template.render(
                [
                    "code": code, "district": districts.first { $0.code == code }?.name ?? code, "date": day.description,
                    "count": notices.count, "total": total.swedish, "rows": rows,
                ] as [String: Any])
            try FileOutput.write(Data(page.utf8), to: base + ".html")
            written.append(Written(district: code, notices: notices.count, csv: base + ".csv", html: base + ".html"))
        }
        return written
    }
}

extension SubletApp {
    /// Writes each district's forfeiture list of `day` (default today) beside its reports.
    public func writeForfeitureReports(on day: CalendarDate? = nil) throws -> [ForfeitureReports.Written] {
        let date = day ?? clock.today
        return try ForfeitureReports(settings: settings).write(try forfeitureList(on: date), on: date, districts: try database.districts())
    }
}
