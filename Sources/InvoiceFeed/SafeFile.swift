import Foundation
import SubletDomain

/// A landlord's file opened the safe way, so that nothing in an inbox can stall or mislead the
/// reader: `lstat` first, and only a regular file is opened (never a FIFO, whose `open` blocks
/// until a writer comes, nor a socket, a device or a symbolic link); then `open` with
/// `O_NONBLOCK | O_NOFOLLOW` as a second guard, and `fstat` to confirm that what was opened is
/// the regular file that was checked. Its size is taken once, there, and checked against the
/// limit; reads go by offset and stop at that size, so the hash and the parser share one
/// descriptor and see the same bytes even if the file grows meanwhile.
public final class SafeFile: Sendable {
    public let path: String
    /// The name in messages (control characters escaped when printed).
    public let displayName: String
    /// The size when opened, in bytes.
    public let size: Int
    let descriptor: Int32
    private let parsed = ParsedBytes()

    /// How far the parser has read, for a progress bar on another thread (the hash's reads
    /// before it do not count).
    public var parsedBytes: Int { parsed.value }

    /// Called by the parsers after each read.
    func markParsed(upTo offset: Int) { parsed.advance(to: offset) }

    private init(path: String, displayName: String, size: Int, descriptor: Int32) {
        self.path = path
        self.displayName = displayName
        self.size = size
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Opens `path` for reading, or says why not: missing, not a regular file (and what it is),
    /// unreadable, empty, or larger than `maximumBytes`.
    public static func open(_ path: String, displayName: String? = nil, maximumBytes: Int = .max) throws(FeedError) -> SafeFile {
        let name = displayName ?? URL(fileURLWithPath: path).lastPathComponent
        var before = stat()
        guard lstat(path, &before) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(file: name) }
            throw .unreadable(file: name, reason: String(cString: strerror(errno)))
        }
        if let kind = Self.kind(of: before.st_mode) { throw .notRegular(file: name, kind: kind) }
        let descriptor = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw .notRegular(file: name, kind: "a symbolic link") }
            if errno == ENOENT { throw .notFound(file: name) }
            throw .unreadable(file: name, reason: String(cString: strerror(errno)))
        }
        var after = stat()
        guard fstat(descriptor, &after) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unreadable(file: name, reason: reason)
        }
        if let kind = Self.kind(of: after.st_mode) {
            close(descriptor)
            throw .notRegular(file: name, kind: kind)
        }
        guard after.st_ino == before.st_ino, after.st_dev == before.st_dev else {
            close(descriptor)
            throw .unreadable(file: name, reason: "the file was replaced while it was being opened; it will be read again")
        }
        let size = Int(after.st_size)
        guard size <= maximumBytes, size > 0 else {
            close(descriptor)
            throw size > 0 ? .tooLarge(file: name, bytes: size, limit: maximumBytes) : .empty(file: name)
        }
        return SafeFile(path: path, displayName: name, size: size, descriptor: descriptor)
    }

    /// What a non-regular file is, in words; `nil` for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFLNK: "a symbolic link"
        case S_IFDIR: "a directory"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a regular file"
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end of the file as it was opened.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(FeedError) -> Int {
        let wanted = min(buffer.count, size - offset)
        guard wanted > 0 else { return 0 }
        while true {
            let count = pread(descriptor, buffer.baseAddress, wanted, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw .unreadable(file: displayName, reason: String(cString: strerror(errno)))
        }
    }

    /// The first `count` bytes (fewer if the file is shorter).
    public func prefix(_ count: Int) throws(FeedError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < count {
            let read = try self.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), at: filled)
            if read == 0 { break }
            filled += read
        }
        return Array(buffer[..<filled])
    }
}

/// A byte count the parser's thread raises and another thread reads.
final class ParsedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = 0

    var value: Int { lock.withLock { bytes } }

    func advance(to offset: Int) { lock.withLock { bytes = max(bytes, offset) } }
}
