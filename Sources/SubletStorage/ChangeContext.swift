import Foundation
import SubletDomain

/// Who makes a change and when: the audit log's "who" and "when", and the Stockholm date that
/// decides which month is "now".
public struct ChangeContext: Sendable {
    public var actor: String
    /// Europe/Stockholm calendar date (overridable with SUBLET_TODAY for back-dated runs).
    public var today: CalendarDate
    /// Wall-clock time, for timestamps.
    public var now: Date

    /// `now` in UTC, ISO 8601, whole seconds.
    public let timestamp: String

    public init(actor: String, today: CalendarDate, now: Date = Date()) {
        self.actor = actor
        self.today = today
        self.now = now
        timestamp = now.formatted(.iso8601)
    }
}

/// A compact JSON object with sorted keys, for audit rows (fast enough for 86,000 rows in one import).
struct AuditJSON {
    private var fields: [(String, String?)] = []

    init(_ fields: KeyValuePairs<String, String?>) {
        self.fields = fields.map { ($0.key, $0.value) }
    }

    var text: String {
        "{"
            + fields.sorted { $0.0 < $1.0 }.map { Self.quote($0.0) + ":" + ($0.1.map(Self.quote) ?? "null") }
            .joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += "\\u" + String(String(scalar.value, radix: 16).zeroPadded(to: 4))
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
