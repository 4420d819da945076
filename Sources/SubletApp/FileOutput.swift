import Foundation
import SubletDomain

/// Output files and folders: they appear whole or not at all, and with the same modes whatever
/// the process's umask: files 0640 and folders 0750 (the service user and its group; the
/// database and backups are 0600). Errors say which path and why, in words.
public enum FileOutput {
    public static let fileMode: mode_t = 0o640
    public static let folderMode: mode_t = 0o750

    /// Writes `data` to a temporary file beside `path`, then renames it into place.
    public static func write(_ data: Data, to path: String) throws(OutputError) {
        let temporary = path + ".tmp-\(getpid())"
        do {
            try writePlain(data, to: temporary, exclusive: true)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = OutputError.system(path: path, errno: errno)
            unlink(temporary)
            throw error
        }
    }

    /// Writes `data` to `path` without syncing it to disk: for the many files of a staging folder
    /// that is renamed into place as a whole.
    public static func writePlain(_ data: Data, to path: String, exclusive: Bool = false) throws(OutputError) {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW | (exclusive ? O_EXCL : O_TRUNC), fileMode)
        guard descriptor >= 0 else { throw .system(path: path, errno: errno) }
        defer { close(descriptor) }
        // open() is subject to the umask; fchmod() is not.
        guard fchmod(descriptor, fileMode) == 0 else { throw .system(path: path, errno: errno) }
        var written = 0
        let failure: Int32? = data.withUnsafeBytes { bytes in
            while written < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        if let failure { throw .system(path: path, errno: failure) }
    }

    /// Creates `path` and any missing folders above it with mode 0750; existing folders are left
    /// as they are.
    public static func createFolder(_ path: String) throws(OutputError) {
        var missing: [String] = []
        var current = URL(fileURLWithPath: path).standardizedFileURL.path
        var info = stat()
        while stat(current, &info) != 0 {
            guard errno == ENOENT else { throw .system(path: current, errno: errno) }
            missing.append(current)
            let parent = URL(fileURLWithPath: current).deletingLastPathComponent().path
            if parent == current { break }
            current = parent
        }
        if missing.isEmpty, info.st_mode & S_IFMT != S_IFDIR { throw .notAFolder(path: current) }
        for folder in missing.reversed() {
            if mkdir(folder, folderMode) != 0, errno != EEXIST { throw .system(path: folder, errno: errno) }
            guard chmod(folder, folderMode) == 0 else { throw .system(path: folder, errno: errno) }
        }
    }

    /// An in-memory byte buffer for a file written at the end.
    public final class Stream {
        public private(set) var data = Data()
        public init() {}
        public func append(_ text: some StringProtocol) { data.append(contentsOf: Array(text.utf8)) }
        public func append(_ bytes: Data) { data.append(bytes) }
    }
}

/// A file or folder Sublet could not write (exit 73, sysexits' EX_CANTCREAT).
public enum OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    case system(path: String, reason: String)
    case notAFolder(path: String)

    static func system(path: String, errno code: Int32) -> OutputError {
        .system(path: path, reason: String(cString: strerror(code)))
    }

    public var description: String {
        switch self {
        case .system(let path, let reason): "cannot write \(Quote.escapingControlCharacters(path)): \(reason)"
        case .notAFolder(let path): "cannot write into \(Quote.escapingControlCharacters(path)): it is a file, not a folder"
        }
    }
}

extension OutputError: CategorizedError {
    public var category: ErrorCategory { .cannotWrite }
}
