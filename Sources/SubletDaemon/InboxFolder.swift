import Foundation
import SubletApp

/// One entry of the inbox, seen with `lstat` (nothing is opened to look at it).
struct InboxEntry: Equatable {
    enum Kind: Equatable {
        case regular(size: Int, modified: Int128)
        case directory
        /// A FIFO, socket, device or symbolic link, in words.
        case other(String)
    }

    var name: String
    var kind: Kind
}

/// Reading and emptying the inbox.
enum InboxFolder {
    /// The entries waiting, oldest name first, except dotfiles and `*.tmp` (still being written
    /// under the rename convention). An entry that vanishes while being listed is left out.
    static func entries(in directory: String) throws -> [InboxEntry] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted().compactMap { name in
            guard !name.hasPrefix("."), !name.hasSuffix(".tmp") else { return nil }
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { return nil }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let modified = Int128(info.st_mtim.tv_sec) * 1_000_000_000 + Int128(info.st_mtim.tv_nsec)
                return InboxEntry(name: name, kind: .regular(size: Int(info.st_size), modified: modified))
            case S_IFDIR: return InboxEntry(name: name, kind: .directory)
            case S_IFIFO: return InboxEntry(name: name, kind: .other("a FIFO (named pipe)"))
            case S_IFLNK: return InboxEntry(name: name, kind: .other("a symbolic link"))
            case S_IFSOCK: return InboxEntry(name: name, kind: .other("a socket"))
            default: return InboxEntry(name: name, kind: .other("a device or other special file"))
            }
        }
    }

    /// Moves `name` from `directory` into `folder` (created if missing) without overwriting, by
    /// `rename`, which never opens what it moves; returns the new path. A regular file moved
    /// into the archive or the rejected folder gets mode 0640.
    static func move(_ name: String, from directory: String, to folder: String, regular: Bool) throws -> String {
        try FileOutput.createFolder(folder)
        let source = directory + "/" + name
        var destination = folder + "/" + name
        var counter = 1
        var info = stat()
        while lstat(destination, &info) == 0 {
            destination = folder + "/" + name + "." + String(counter)
            counter += 1
        }
        if rename(source, destination) != 0 {
            // Another file system: only a regular file may be copied (copying a FIFO would block).
            guard errno == EXDEV, regular else { throw OutputError.system(path: destination, reason: String(cString: strerror(errno))) }
            try FileManager.default.moveItem(atPath: source, toPath: destination)
        }
        if regular { chmod(destination, FileOutput.fileMode) }
        return destination
    }
}

/// Takes a file only once it stands still (issue #7): its size and modification time have not
/// changed for one poll interval, seen either from its modification time (older than the
/// interval) or from two looks an interval apart. A writer that writes in place is never read
/// half-way, as long as it writes at least once per interval.
struct StabilityTracker {
    let interval: Duration
    private var seen: [String: (size: Int, modified: Int128, since: ContinuousClock.Instant)] = [:]
    /// Entries already reported as left alone (folders), so they are logged once, not every scan.
    private(set) var reported: Set<String> = []

    init(interval: Duration) { self.interval = interval }

    /// Whether the file may be taken now.
    mutating func isStable(
        _ name: String, size: Int, modified: Int128, now: ContinuousClock.Instant = .now,
        wallClock: Int128 = StabilityTracker.wallClockNanoseconds()
    ) -> Bool {
        let (seconds, attoseconds) = interval.components
        let intervalNanoseconds = Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
        if modified <= wallClock - intervalNanoseconds {
            seen[name] = nil
            return true
        }
        if let previous = seen[name], previous.size == size, previous.modified == modified {
            if now - previous.since >= interval {
                seen[name] = nil
                return true
            }
            return false
        }
        seen[name] = (size, modified, now)
        return false
    }

    /// Forgets names no longer in the inbox.
    mutating func keep(only names: Set<String>) {
        seen = seen.filter { names.contains($0.key) }
        reported.formIntersection(names)
    }

    /// Marks `name` as reported; `true` the first time.
    mutating func reportOnce(_ name: String) -> Bool { reported.insert(name).inserted }

    static func wallClockNanoseconds() -> Int128 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int128(now.tv_sec) * 1_000_000_000 + Int128(now.tv_nsec)
    }
}
