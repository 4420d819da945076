import Foundation
import GRDB
import SubletDomain

/// The one door to Sublet's SQLite database. Every process (the CLI, the jobs, the daemon) reads
/// and writes through it; each write is one IMMEDIATE transaction that fully happens or leaves
/// no trace.
public struct SubletDatabase: Sendable {
    /// The file path, for messages.
    public let path: String
    let writer: any DatabaseWriter

    /// What `sublet init` did.
    public enum InitOutcome: Sendable, Equatable {
        case created
        case migrated([String])
        case upToDate
    }

    /// The newest schema this binary knows.
    public static var schemaVersion: String { Schema.migrator.migrations.last ?? "" }

    init(path: String, writer: any DatabaseWriter) {
        self.path = path
        self.writer = writer
    }

    /// Creates the database (mode 0600) or migrates an older one forward (`sublet init`).
    /// `beforeMigrating` runs once when an existing database has migrations pending, before any
    /// is applied (the app writes a backup there); what it throws stops the migration.
    public static func initialize(
        at path: String, busyTimeout: Double = 10, beforeMigrating: (SubletDatabase, [String]) throws -> Void = { _, _ in }
    ) throws -> (SubletDatabase, InitOutcome) {
        let created = try createFileIfMissing(path)
        let pool = try makePool(path, busyTimeout: busyTimeout)
        let database = SubletDatabase(path: path, writer: pool)
        let pending: [String] = try database.guarded {
            try pool.read { db in
                if try Schema.migrator.hasBeenSuperseded(db) { throw StorageError.newerSchema(path: path) }
                let applied = try Schema.migrator.appliedMigrations(db)
                return Schema.migrator.migrations.filter { !applied.contains($0) }
            }
        }
        if !created, !pending.isEmpty { try beforeMigrating(database, pending) }
        try database.guarded { try Schema.migrator.migrate(pool) }
        if created { return (database, .created) }
        return (database, pending.isEmpty ? .upToDate : .migrated(pending))
    }

    /// Opens an existing database whose schema this binary knows exactly.
    /// `busyTimeout`: how many seconds a write waits for another process's write before giving up.
    /// `readOnly`: one read-only connection (`SQLITE_OPEN_READONLY`): opening writes nothing (no
    /// WAL set-up, no schema-version bump), never waits for a writer, and works on a copy on
    /// read-only media.
    public static func open(at path: String, busyTimeout: Double = 10, readOnly: Bool = false) throws -> SubletDatabase {
        guard FileManager.default.fileExists(atPath: path) else { throw StorageError.missing(path: path) }
        let writer: any DatabaseWriter =
            readOnly ? try makeReadOnlyQueue(path, busyTimeout: busyTimeout) : try makePool(path, busyTimeout: busyTimeout)
        let database = SubletDatabase(path: path, writer: writer)
        try database.guarded {
            try writer.read { db in
                if try Schema.migrator.hasBeenSuperseded(db) { throw StorageError.newerSchema(path: path) }
                if try !Schema.migrator.hasCompletedMigrations(db) {
                    let applied = try Schema.migrator.appliedMigrations(db)
                    throw StorageError.olderSchema(path: path, pending: Schema.migrator.migrations.filter { !applied.contains($0) })
                }
            }
        }
        return database
    }

    /// A fresh in-memory database, for tests.
    public static func inMemory() throws -> SubletDatabase {
        let queue = try DatabaseQueue(configuration: configuration(busyTimeout: 0))
        try Schema.migrator.migrate(queue)
        return SubletDatabase(path: ":memory:", writer: queue)
    }

    private static func configuration(busyTimeout: Double) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // Bulk transactions (import, monthly run): a 64 MiB page cache, and statement journals
            // in memory rather than in a temporary file written 4 KiB at a time (docs/performance.md).
            try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        }
        return configuration
    }

    /// A read-only connection. A WAL-mode file whose folder cannot hold the `-shm` index (a copy
    /// on read-only media, made before backups were written in rollback mode) is opened as
    /// immutable: nothing can be writing it there.
    private static func makeReadOnlyQueue(_ path: String, busyTimeout: Double) throws -> DatabaseQueue {
        var configuration = configuration(busyTimeout: busyTimeout)
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { _ = try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch let error as DatabaseError
            where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode.primaryResultCode)
            && access(URL(fileURLWithPath: path).deletingLastPathComponent().path, W_OK) != 0
        {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
            do {
                return try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
            } catch {
                throw StorageError.wrapping(error, path: path)
            }
        } catch {
            throw StorageError.wrapping(error, path: path)
        }
    }

    private static func makePool(_ path: String, busyTimeout: Double) throws -> DatabasePool {
        do {
            return try DatabasePool(path: path, configuration: configuration(busyTimeout: busyTimeout))
        } catch {
            throw StorageError.wrapping(error, path: path)
        }
    }

    /// Creates an empty file readable by its owner only; SQLite gives the -wal and -shm files the
    /// same mode. A missing folder above it is created too, mode 0700.
    static func createFileIfMissing(_ path: String) throws -> Bool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StorageError.cannotOpen(path: path, reason: "cannot create the folder \(folder)")
            }
        }
        let descriptor = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return true
        }
        if errno == EEXIST { return false }
        let reason = String(cString: strerror(errno))
        throw StorageError.cannotOpen(path: path, reason: reason)
    }

    // MARK: - Transactions

    /// Runs `body` in one IMMEDIATE write transaction; a thrown error rolls everything back.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try guarded {
            try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    /// Runs `body` in a read transaction (a consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try guarded { try writer.read(body) }
    }

    /// Maps SQLite errors to `StorageError`s that name the file.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StorageError.wrapping(error, path: path)
        }
    }
}
