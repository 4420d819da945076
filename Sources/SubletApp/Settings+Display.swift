import Foundation
import SubletDomain

extension Settings {
    /// One effective setting as `config show` prints it.
    public struct Effective: Sendable, Equatable, Encodable {
        public var key: String
        /// As it would be written in the file (strings quoted, amounts in quotes); `nil` for a
        /// folder whose compiled-in contents are used.
        public var value: String?
        public var source: SettingSource
    }

    /// Every known key with its effective value and where it came from, in `knownKeys` order;
    /// `paths.database` is the database actually used (`--db`, `$SUBLET_DB`).
    public func effective(databasePath: String) -> [Effective] {
        Self.knownKeys.map { key in
            if key == "paths.database", let override = databaseOverride {
                return Effective(key: key, value: Self.quoted(Self.absolute(databasePath)), source: override)
            }
            return Effective(key: key, value: value(of: key), source: fileKeys.contains(key) ? .file : .defaults)
        }
    }

    /// The effective value of a known key, written as TOML; a path absolute (a default one is
    /// relative to the working directory).
    func value(of key: String) -> String? {
        func path(_ path: String) -> String { Self.quoted(Self.absolute(path)) }
        return switch key {
        case "paths.database": path(paths.database)
        case "paths.jobs": paths.jobs.map(path)
        case "paths.templates": paths.templates.map(path)
        case "paths.outbox": path(paths.outbox)
        case "paths.backups": path(paths.backups)
        case "paths.inbox": path(paths.inbox)
        case "paths.archive": path(paths.archive)
        case "paths.rejected": path(paths.rejected)
        case "payee.name": Self.quoted(payee.name)
        case "payee.bankgiro": Self.quoted(payee.bankgiro.description)
        case "notice.min_days": String(notices.minimumDays)
        case "proration.basis": Self.quoted(notices.proration.rawValue)
        case "ocr.length_digit": String(notices.ocrLengthDigit)
        case "backup.keep": String(backupKeep)
        case "database.busy_timeout": String(busyTimeoutSeconds)
        case "price_list.retroactive_correction.min_notices": String(priceList.minimumNotices)
        case "price_list.retroactive_correction.model": Self.quoted(priceList.model.rawValue)
        case "price_list.retroactive_correction.fee": Self.quoted(priceList.fixedFee.plain)
        case "price_list.retroactive_correction.hourly_rate": Self.quoted(priceList.hourlyRate.plain)
        case "price_list.retroactive_correction.increment_minutes": String(priceList.incrementMinutes)
        case "daemon.poll_seconds": String(daemon.pollSeconds)
        case "daemon.allow_symlinked_inbox": String(daemon.allowSymlinkedInbox)
        case "reconciliation.grace_days": String(reconciliation.graceDays)
        case "reconciliation.tolerance": Self.quoted(reconciliation.tolerance.plain)
        case "ingest.max_file_mb": String(maximumFileMegabytes)
        case "payments.overpayment": Self.quoted(payments.overpayment.rawValue)
        case "reminders.days_after_due": String(payments.reminderDaysAfterDue)
        case "reminders.fee": Self.quoted(payments.reminderFee.plain)
        case "alert.command": Self.quoted(alertCommand)
        default: portalValue(of: key) ?? { preconditionFailure("no value for the known key \(key)") }()
        }
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
