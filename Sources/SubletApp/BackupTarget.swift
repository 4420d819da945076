import Foundation
import SubletDomain

/// Where `db backup --out` may write (issue #7): never the live database or its `-wal`/`-shm`
/// (renaming a copy over the live file would leave every running process writing into a
/// deleted inode), and never over an existing file without `--force`.
public struct BackupTarget: Sendable {
    public let database: String

    public init(database: String) { self.database = database }

    /// Throws a usage error (exit 64) when `out` may not be written.
    public func refuse(_ out: String, force: Bool) throws {
        let target = Self.resolved(out)
        let live = Self.resolved(database)
        for (suffix, what) in [
            ("", "the database itself"), ("-wal", "the database's write-ahead log"), ("-shm", "the database's shared-memory index"),
        ]
        where target == live + suffix {
            throw BackupRefused("--out \(out) is \(what) (\(database)); write the backup to another file")
        }
        var info = stat()
        if lstat(out, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else { throw BackupRefused("--out \(out) exists and is not a regular file") }
            guard force else { throw BackupRefused("--out \(out) already exists; add --force to replace it") }
        }
    }

    /// The absolute path with symbolic links resolved (for a file not there yet: its folder's).
    static func resolved(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        if let real = realpath(absolute.path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let folder = absolute.deletingLastPathComponent().path
        guard let real = realpath(folder, nil) else { return absolute.path }
        defer { free(real) }
        return String(cString: real) + "/" + absolute.lastPathComponent
    }
}

/// A backup target that may not be written (a usage error).
public struct BackupRefused: Error, Sendable, CategorizedError {
    public let description: String
    init(_ description: String) { self.description = description }
    public var category: ErrorCategory { .usage }
}
