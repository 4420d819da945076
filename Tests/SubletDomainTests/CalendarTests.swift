import SubletDomain
import Testing

@Suite struct CalendarDateTests {
    @Test(arguments: ["2026-02-29", "2025-13-01", "2025-00-10", "2025-01-32", "25-01-01", "2025-1-01", "2025/01/01", "", "2025-01-01x", "1799-12-31"])
    func rejectsInvalidDates(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test(arguments: ["2024-02-29", "2026-12-31", "2000-02-29", "1970-01-01", "2100-02-28"])
    func roundTripsValidDates(text: String) throws {
        let date = try #require(CalendarDate(text))
        #expect(date.description == text)
        #expect(CalendarDate(dayNumber: date.dayNumber) == date)
    }

    @Test func dayNumbersAreContiguousAcrossYears() {
        var date = CalendarDate(year: 1999, month: 12, day: 1)!
        for _ in 0..<(366 * 30) {
            let next = date.adding(days: 1)
            #expect(next > date)
            #expect(date.days(until: next) == 1)
            if date.isLastDayOfMonth {
                #expect(next.day == 1)
            } else {
                #expect(next.day == date.day + 1 && next.month == date.month)
            }
            date = next
        }
    }

    @Test(arguments: [("1970-01-01", 4), ("2026-11-26", 4), ("2024-03-31", 7), ("2026-12-07", 1), ("2000-01-01", 6)])
    func weekdays(text: String, weekday: Int) {
        #expect(CalendarDate(text)!.weekday == weekday)
    }

    @Test(arguments: [(2024, true), (2025, false), (2000, true), (1900, false), (2100, false)])
    func leapYears(year: Int, leap: Bool) {
        #expect(CalendarDate.isLeapYear(year) == leap)
        #expect(CalendarDate.daysInMonth(year: year, month: 2) == (leap ? 29 : 28))
    }

    @Test(arguments: ["2026-13", "2026-00", "26-01", "2026", "", "2026-1", "2026-011"])
    func rejectsMalformedPeriods(text: String) {
        #expect(BillingPeriod(text) == nil)
    }

    @Test func periodArithmetic() {
        let december = BillingPeriod("2026-12")!
        #expect(december.next == BillingPeriod("2027-01"))
        #expect(december.previous == BillingPeriod("2026-11"))
        #expect(BillingPeriod("2027-01")!.advanced(by: -13) == BillingPeriod("2025-12"))
        #expect(december.firstDay == CalendarDate("2026-12-01"))
        #expect(december.lastDay == CalendarDate("2026-12-31"))
        #expect(BillingPeriod("2028-02")!.dayCount == 29)
        #expect(december.swedishName == "december 2026")
        #expect(december.contains(CalendarDate("2026-12-15")!))
        #expect(!december.contains(CalendarDate("2027-12-15")!))
    }
}

@Suite struct BankCalendarTests {
    /// docs/rules.md §2 test vectors: month → due date (issued well in advance).
    @Test(arguments: [
        ("2024-01", "2023-12-29"), ("2024-04", "2024-03-28"), ("2024-07", "2024-06-28"), ("2025-01", "2024-12-30"),
        ("2025-06", "2025-05-30"), ("2025-07", "2025-06-30"), ("2026-01", "2025-12-30"), ("2026-06", "2026-05-29"),
        ("2026-11", "2026-10-30"), ("2026-12", "2026-11-30"),
    ])
    func dueDateVectors(period: String, due: String) {
        let month = BillingPeriod(period)!
        let issued = month.firstDay.adding(days: -40)
        #expect(DueDateRule.regularNotice(for: month, issuedOn: issued, minimumDays: 10) == CalendarDate(due))
    }

    /// Each year by the law in force in it: annandag pingst until 2004, nationaldagen from 2005
    /// (SFS 2004:1320).
    @Test(arguments: [
        ("2004-05-31", false), ("2004-06-07", true), ("2003-06-09", false), ("2003-06-06", true), ("1990-06-04", false),
        ("2005-05-16", true), ("2005-06-06", false), ("2026-05-25", true), ("2026-06-05", true),
    ])
    func whitMondayAndTheNationalDay(date: String, isBankDay: Bool) {
        #expect(SwedishBankCalendar.isBankDay(CalendarDate(date)!) == isBankDay)
    }

    @Test func june2004WasDueBeforeWhitMonday() {
        // 31 May 2004 was annandag pingst: the last bank day before June was Friday the 28th.
        #expect(
            DueDateRule.regularNotice(for: BillingPeriod("2004-06")!, issuedOn: CalendarDate("2004-04-01")!, minimumDays: 10)
                == CalendarDate("2004-05-28"))
    }

    @Test(arguments: ["1989-12", "1800-01"])
    func monthsBeforeTheCalendarAreRefused(period: String) {
        let request = NoticeRunRequest(
            period: BillingPeriod(period)!, issueDate: CalendarDate("2026-11-26")!, minimumDays: 10,
            basis: .actualDays, ocrLengthDigit: true, dryRun: true)
        #expect(throws: NoticeRunRefused.self) { try request.validated() }
        #expect((try? request.validated()) == nil)
    }

    @Test(arguments: [
        // (month, issued, min days, due): a due date never fewer than min days after issue.
        ("2026-12", "2026-11-10", 10, "2026-11-30"),
        ("2026-12", "2026-11-20", 10, "2026-11-30"),
        ("2026-12", "2026-11-21", 10, "2026-12-01"),
        ("2026-12", "2026-11-26", 10, "2026-12-07"),
        ("2026-12", "2026-11-26", 0, "2026-11-30"),
        ("2027-01", "2026-12-20", 10, "2026-12-30"),
        ("2027-01", "2026-12-21", 10, "2027-01-04"),
        ("2026-04", "2026-03-26", 5, "2026-03-31"),
        ("2026-07", "2026-06-15", 10, "2026-06-30"),
        ("2026-07", "2026-06-18", 10, "2026-06-30"),
        ("2026-07", "2026-06-22", 10, "2026-07-02"),
    ])
    func dueDateRespectsMinimumDays(period: String, issued: String, minimumDays: Int, due: String) {
        let dueDate = DueDateRule.regularNotice(for: BillingPeriod(period)!, issuedOn: CalendarDate(issued)!, minimumDays: minimumDays)
        #expect(dueDate == CalendarDate(due))
        #expect(SwedishBankCalendar.isBankDay(dueDate))
    }

    @Test(arguments: [
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2000, "2000-04-23"), (2019, "2019-04-21"),
        (2038, "2038-04-25"),
    ])
    func easter(year: Int, sunday: String) {
        #expect(SwedishBankCalendar.easterSunday(year: year) == CalendarDate(sunday))
    }

    @Test(arguments: [
        "2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-06-19",
        "2026-12-24", "2026-12-25", "2026-12-31", "2025-06-06", "2025-06-20", "2024-05-09", "2027-03-26", "2027-03-29",
    ])
    func weekdayHolidaysAreNotBankDays(text: String) {
        let date = CalendarDate(text)!
        #expect(!date.isWeekend)
        #expect(!SwedishBankCalendar.isBankDay(date))
    }

    @Test(arguments: ["2026-05-25", "2026-12-23", "2026-12-28", "2026-06-22", "2026-11-02", "2025-06-09", "2026-12-30"])
    func ordinaryWeekdaysAreBankDays(text: String) {
        // Annandag pingst (2026-05-25) has not been a holiday since 2005.
        #expect(SwedishBankCalendar.isBankDay(CalendarDate(text)!))
    }

    @Test(arguments: [2024, 2025, 2026, 2027, 2030])
    func movableHolidaysFallOnTheirWeekdays(year: Int) throws {
        let holidays = Dictionary(uniqueKeysWithValues: SwedishBankCalendar.holidays(year: year).map { ($0.name, $0.date) })
        let midsummerEve = try #require(holidays["midsommarafton"])
        #expect(midsummerEve.weekday == 5 && (19...25).contains(midsummerEve.day) && midsummerEve.month == 6)
        let midsummer = try #require(holidays["midsommardagen"])
        #expect(midsummer.weekday == 6 && midsummer == midsummerEve.adding(days: 1))
        let allSaints = try #require(holidays["alla helgons dag"])
        #expect(allSaints.weekday == 6)
        #expect(allSaints >= CalendarDate(year: year, month: 10, day: 31)! && allSaints <= CalendarDate(year: year, month: 11, day: 6)!)
        #expect(holidays["långfredagen"]?.weekday == 5)
        #expect(holidays["Kristi himmelsfärdsdag"]?.weekday == 4)
        #expect(holidays["pingstdagen"]?.weekday == 7)
        #expect(holidays.count == 16)
    }

    @Test func lastBankDayBeforeSkipsWeekendsAndEves() {
        #expect(SwedishBankCalendar.lastBankDay(before: CalendarDate("2027-01-01")!) == CalendarDate("2026-12-30"))
        #expect(SwedishBankCalendar.firstBankDay(onOrAfter: CalendarDate("2026-12-24")!) == CalendarDate("2026-12-28"))
        #expect(DueDateRule.correctionNotice(issuedOn: CalendarDate("2026-11-26")!) == CalendarDate("2026-12-28"))
    }
}
