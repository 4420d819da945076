import Foundation
import SubletDomain
import SubletStorage

/// Timestamped backups in a folder, keeping the newest N (the `nightly-backup` job).
public enum BackupRotation {
    public static let prefix = "sublet-"
    public static let suffix = ".sqlite"

    /// `YYYYMMDDTHHMMSSZ` in UTC: sorts by time as text.
    static func stamp(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        func two(_ value: Int?) -> String { String(value ?? 0).zeroPadded(to: 2) }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    /// Writes `sublet-YYYYMMDDTHHMMSSZ.sqlite` into `directory` and deletes all but the newest `keep`,
    /// never the file at `sparing` (the live database, should it be one of them).
    /// Returns the new file and the removed ones.
    public static func backup(
        _ database: SubletDatabase, into directory: String, keep: Int, sparing live: String? = nil,
        now: Date = Date()
    ) throws -> (written: String, removed: [String]) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let liveFile = live.flatMap { path -> (dev_t, ino_t)? in
            var info = stat()
            return stat(path, &info) == 0 ? (info.st_dev, info.st_ino) : nil
        }
        let path = directory + "/" + prefix + stamp(now) + suffix
        try database.backup(to: path)
        let existing = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }
            .sorted(by: >)
        var removed: [String] = []
        for name in existing.dropFirst(keep) {
            var info = stat()
            if let liveFile, stat(directory + "/" + name, &info) == 0, info.st_dev == liveFile.0, info.st_ino == liveFile.1 { continue }
            try FileManager.default.removeItem(atPath: directory + "/" + name)
            removed.append(directory + "/" + name)
        }
        return (path, removed)
    }
}
