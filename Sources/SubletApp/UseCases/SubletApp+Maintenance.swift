import Foundation
import SubletDomain
import SubletStorage

// The database itself: creation, backups, checks.
extension SubletApp {
    /// Creates the database (mode 0600) or migrates an older one forward.
    /// Creates the database, or migrates an existing one after writing a backup of it into
    /// `paths.backups` (`sublet-before-migration-<stamp>.sqlite`, kept until removed by hand).
    public func initializeDatabase() throws -> (outcome: SubletDatabase.InitOutcome, backup: String?) {
        var backup: String?
        let (_, outcome) = try SubletDatabase.initialize(at: databasePath, busyTimeout: Double(settings.busyTimeoutSeconds)) { database, _ in
            try FileManager.default.createDirectory(
                atPath: settings.paths.backups, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = settings.paths.backups + "/sublet-before-migration-" + BackupRotation.stamp(clock.now) + BackupRotation.suffix
            try database.backup(to: path)
            backup = path
        }
        return (outcome, backup)
    }

    /// An online, consistent copy to `file`. Never the live database or its `-wal`/`-shm`, and
    /// an existing file only with `replacing` (`BackupTarget`).
    public func backUp(to file: String, replacing: Bool = false) throws {
        try BackupTarget(database: databasePath).refuse(file, force: replacing)
        try database.backup(to: file)
    }

    /// A timestamped copy into `paths.backups`, keeping the newest `backup.keep` (the nightly job).
    public func rotateBackups() throws -> (written: String, removed: [String]) {
        try BackupRotation.backup(database, into: settings.paths.backups, keep: settings.backupKeep, sparing: databasePath, now: clock.now)
    }

    /// Integrity, foreign keys, notice totals and the protective triggers.
    public func check() throws -> DatabaseCheck { try database.check() }
}
