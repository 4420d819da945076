import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct DebtsCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "debts",
        abstract: "Notices with rent owed, aged 0–30, 31–60, 61–90 and over 90 days past due, with totals per district.",
        discussion: """
            Examples:
              sublet debts
              sublet debts --district RK --as-of 2026-12-31 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this district's.") var district: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day the ages count to (default today).", valueName: "YYYY-MM-DD"))
    var asOf: Parsed<CalendarDate>?
    var access: SubletApp.DatabaseAccess { .readOnly }

    func run(_ app: SubletApp, _ out: Output) throws {
        let day = try asOf.value("--as-of") ?? app.clock.today
        let owed = try app.debts(district: district, asOf: day)
        if out.json {
            try out.json(owed.map { OwedNoticeJSON($0, asOf: day) })
            return
        }
        out.table(
            ["NOTICE", "CONTRACT", "DISTRICT", "DUE", "DAYS", "AGE", "BALANCE"],
            owed.map {
                [
                    $0.notice, $0.contract, $0.district, $0.dueDate.description, String(DebtAge.daysPastDue(dueDate: $0.dueDate, on: day)),
                    DebtAge(dueDate: $0.dueDate, on: day).rawValue, $0.balance.swedish,
                ]
            }, numeric: [4, 6])
        out.line()
        var totals: [String: [DebtAge: Int]] = [:]
        for notice in owed {
            totals[notice.district, default: [:]][DebtAge(dueDate: notice.dueDate, on: day), default: 0] += notice.balance.ore
        }
        out.table(
            ["DISTRICT"] + DebtAge.allCases.map(\.rawValue) + ["TOTAL"],
            totals.keys.sorted().map { code in
                let ages = totals[code] ?? [:]
                return [code] + DebtAge.allCases.map { Money(ore: ages[$0] ?? 0).swedish } + [Money(ore: ages.values.reduce(0, +)).swedish]
            }, numeric: Set(1...5))
    }
}
