import Foundation
import SubletDomain

/// Which calendar date it is in Stockholm, and the instant for timestamps: the one place Sublet
/// reads the clock.
public protocol StockholmClock: Sendable {
    /// Today's Europe/Stockholm calendar date.
    var today: CalendarDate { get }
    /// Now, for timestamps (UTC in the audit log).
    var now: Date { get }
}

extension StockholmClock {
    public var thisMonth: BillingPeriod { today.period }
    public var nextMonth: BillingPeriod { today.period.next }
    public var lastMonth: BillingPeriod { today.period.previous }
}

/// The system clock; `SUBLET_TODAY=YYYY-MM-DD` fixes the date (tests, back-dated runs).
public struct SystemClock: StockholmClock {
    /// The environment variable that overrides today's date.
    public static let overrideVariable = "SUBLET_TODAY"

    private let fixedDate: CalendarDate?

    /// Reads `SUBLET_TODAY` from `environment`; a bad value is a configuration error naming it.
    public init(environment: [String: String]) throws(ConfigurationError) {
        if let text = environment[Self.overrideVariable], !text.isEmpty {
            guard let date = CalendarDate(text) else {
                throw .setting(name: Self.overrideVariable, message: "\(Quote.excerpt(text)) is not a date (write YYYY-MM-DD)")
            }
            fixedDate = date
        } else {
            fixedDate = nil
        }
    }

    public var today: CalendarDate { fixedDate ?? Self.stockholmDate(of: Date()) }
    public var now: Date { Date() }

    /// `2026-12-02 23:55` in Stockholm: when a report was made, as its reader's clock said.
    public static func stockholmMinute(of instant: Date) -> String {
        let parts = stockholmCalendar.dateComponents([.hour, .minute], from: instant)
        return "\(stockholmDate(of: instant)) " + String(parts.hour ?? 0).zeroPadded(to: 2) + ":" + String(parts.minute ?? 0).zeroPadded(to: 2)
    }

    /// The Europe/Stockholm calendar date of an instant.
    public static func stockholmDate(of instant: Date) -> CalendarDate {
        let parts = stockholmCalendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? CalendarDate(dayNumber: 0)
    }

    /// The Gregorian calendar in Europe/Stockholm's time zone.
    private static var stockholmCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        if let stockholm = TimeZone(identifier: "Europe/Stockholm") { calendar.timeZone = stockholm }
        return calendar
    }
}

/// A clock that says one date and one instant: for tests.
public struct FixedClock: StockholmClock {
    public var today: CalendarDate
    public var now: Date
    public init(today: CalendarDate, now: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        self.today = today
        self.now = now
    }
}

/// Another clock's date, read once and kept; its instants still run (`SubletApp.pinningToday`).
struct PinnedDay: StockholmClock {
    let today: CalendarDate
    let base: any StockholmClock
    var now: Date { base.now }
}

extension SubletApp {
    /// A copy whose date is the date now, for the whole of a unit of work (a scan of the inbox)
    /// that may run across midnight.
    public func pinningToday() -> SubletApp {
        with(clock: PinnedDay(today: clock.today, base: clock))
    }
}
