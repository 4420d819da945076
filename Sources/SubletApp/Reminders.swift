import Foundation
import Mustache
import SubletDomain
import SubletStorage

/// Reminders (påminnelser): one Swedish page per notice still unpaid `reminders.days_after_due`
/// days after its due date, and one CSV of them, in `paths.outbox/reminders/YYYY-MM-DD/`. Each
/// notice is reminded once; the database records it after the files are written.
public struct Reminders: Sendable {
    public let settings: Settings

    public static let templateName = "reminder.html.mustache"

    public struct Written: Sendable, Equatable {
        public var reminders: Int
        public var folder: String?
    }

    public init(settings: Settings) { self.settings = settings }

    public func send(on day: CalendarDate, database: SubletDatabase, context: ChangeContext) throws -> Written {
        let due = try database.owedNotices(dueBy: day.adding(days: -settings.payments.reminderDaysAfterDue), notReminded: true)
        guard !due.isEmpty else { return Written(reminders: 0, folder: nil) }
        let templates = Templates(directory: settings.paths.templates)
        let template = try templates.mustache(Self.templateName)
        let folder = settings.paths.outbox + "/reminders/\(day)"
        try FileOutput.createFolder(folder)
        try FileOutput.write(Data(try templates.text("notice.css").utf8), to: folder + "/notice.css")
        let fee = settings.payments.reminderFee
        let csv = FileOutput.Stream()
        csv.append(CSVWriter.row(["notice_number", "contract", "district", "due_date", "ocr", "balance", "fee", "to_pay", "tenant_name", "address"]))
        for notice in due {
            let total = try notice.balance + fee
            let page = template.render(
                [
                    "notice": notice.notice, "contract": notice.contract, "tenant_name": notice.tenant, "address": notice.address,
                    "period_name": notice.period.swedishName, "due_date": notice.dueDate.description, "reminded_on": day.description,
                    "balance": notice.balance.swedish, "fee": fee.swedish, "has_fee": fee.ore > 0, "total": total.swedish, "ocr": notice.ocr,
                    "payee_name": settings.payee.name, "payee_bankgiro": settings.payee.bankgiro.description,
                ] as [String: Any])
            try FileOutput.write(Data(page.utf8), to: folder + "/paminnelse-\(notice.notice).html")
            csv.append(
                CSVWriter.row([
                    notice.notice, notice.contract, notice.district, notice.dueDate.description, notice.ocr, notice.balance.plain, fee.plain,
                    total.plain, notice.tenant, notice.address,
                ]))
        }
        try FileOutput.write(csv.data, to: folder + "/reminders-\(day).csv")
        let recorded = try database.recordReminders(due, fee: fee, context: context)
        return Written(reminders: recorded.count, folder: folder)
    }
}

extension SubletApp {
    /// Writes today's reminders (the `payment-reminders` job).
    public func sendReminders(on day: CalendarDate? = nil) throws -> Reminders.Written {
        try Reminders(settings: settings).send(on: day ?? clock.today, database: database, context: context)
    }
}
