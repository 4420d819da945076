/// Swedish bank days: weekdays that are not public holidays (lag 1989:253) nor midsommarafton,
/// julafton or nyårsafton (lag 1930:173, 2 §; Bankgirot). Each year by the law in force in it:
/// until 2004 annandag pingst was a public holiday and nationaldagen was not; SFS 2004:1320
/// swapped them from 2005 (docs/rules.md §2). The calendar covers the years from `firstYear`.
public enum SwedishBankCalendar {
    /// The first year the calendar covers: lag 1989:253 throughout.
    public static let firstYear = 1990
    /// A day that is not a bank day although it may fall on a weekday.
    public struct Holiday: Sendable, Hashable {
        public let date: CalendarDate
        public let name: String
    }

    /// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm: Meeus/Jones/Butcher).
    public static func easterSunday(year: Int) -> CalendarDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// The public holidays and the three eves of `year`, in date order.
    public static func holidays(year: Int) -> [Holiday] {
        let easter = easterSunday(year: year)
        func date(_ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }
        func firstDay(weekday: Int, from start: CalendarDate) -> CalendarDate {
            start.adding(days: (weekday - start.weekday + 7) % 7)
        }
        let list = [
            Holiday(date: date(1, 1), name: "nyårsdagen"),
            Holiday(date: date(1, 6), name: "trettondedag jul"),
            Holiday(date: easter.adding(days: -2), name: "långfredagen"),
            Holiday(date: easter, name: "påskdagen"),
            Holiday(date: easter.adding(days: 1), name: "annandag påsk"),
            Holiday(date: date(5, 1), name: "första maj"),
            Holiday(date: easter.adding(days: 39), name: "Kristi himmelsfärdsdag"),
            Holiday(date: easter.adding(days: 49), name: "pingstdagen"),
            year >= 2005 ? Holiday(date: date(6, 6), name: "nationaldagen") : Holiday(date: easter.adding(days: 50), name: "annandag pingst"),
            Holiday(date: firstDay(weekday: 5, from: date(6, 19)), name: "midsommarafton"),
            Holiday(date: firstDay(weekday: 6, from: date(6, 20)), name: "midsommardagen"),
            Holiday(date: firstDay(weekday: 6, from: date(10, 31)), name: "alla helgons dag"),
            Holiday(date: date(12, 24), name: "julafton"),
            Holiday(date: date(12, 25), name: "juldagen"),
            Holiday(date: date(12, 26), name: "annandag jul"),
            Holiday(date: date(12, 31), name: "nyårsafton"),
        ]
        return list.sorted { $0.date < $1.date }
    }

    /// The holiday on `date`, if any.
    public static func holiday(on date: CalendarDate) -> Holiday? {
        holidays(year: date.year).first { $0.date == date }
    }

    public static func isBankDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && holiday(on: date) == nil
    }

    /// The last bank day strictly before `date`.
    public static func lastBankDay(before date: CalendarDate) -> CalendarDate {
        var day = date.adding(days: -1)
        while !isBankDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The first bank day on or after `date`.
    public static func firstBankDay(onOrAfter date: CalendarDate) -> CalendarDate {
        var day = date
        while !isBankDay(day) { day = day.adding(days: 1) }
        return day
    }
}

/// When a notice must be paid.
public enum DueDateRule {
    /// The due date of the regular notice for `period` issued on `issueDate` (docs/rules.md §2):
    /// the last bank day strictly before the month begins (Jordabalken 12:20); if that is fewer
    /// than `minimumDays` days after the issue date, the first bank day on or after
    /// issue date + `minimumDays`.
    public static func regularNotice(for period: BillingPeriod, issuedOn issueDate: CalendarDate, minimumDays: Int) -> CalendarDate {
        let lawful = SwedishBankCalendar.lastBankDay(before: period.firstDay)
        guard issueDate.days(until: lawful) < minimumDays else { return lawful }
        return SwedishBankCalendar.firstBankDay(onOrAfter: issueDate.adding(days: minimumDays))
    }

    /// The due date of a standalone correction notice: the first bank day on or after
    /// issue date + 30 days.
    public static func correctionNotice(issuedOn issueDate: CalendarDate) -> CalendarDate {
        SwedishBankCalendar.firstBankDay(onOrAfter: issueDate.adding(days: 30))
    }
}
