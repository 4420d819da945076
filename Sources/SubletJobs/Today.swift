import Foundation
import SubletDomain

/// Which calendar date it is in Stockholm: the one place Sublet reads the clock for dates.
public enum Today {
    /// The environment variable that overrides today's date (`YYYY-MM-DD`), for tests and
    /// back-dated runs.
    public static let overrideVariable = "SUBLET_TODAY"

    /// `SUBLET_TODAY` when set, else the current Europe/Stockholm date.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()) throws(ConfigurationError) -> CalendarDate {
        if let text = environment[overrideVariable], !text.isEmpty {
            guard let date = CalendarDate(text) else {
                throw .setting(name: overrideVariable, message: "\(Quote.excerpt(text)) is not a date (write YYYY-MM-DD)")
            }
            return date
        }
        return stockholmDate(of: now)
    }

    /// The Europe/Stockholm calendar date of an instant.
    public static func stockholmDate(of instant: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Stockholm")!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
