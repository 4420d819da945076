import Foundation
import InvoiceFeed
import SubletDomain
import SubletStorage

/// Takes a landlord's file in: hashes it, streams its documents into the database in one
/// transaction, and says what happened. A rejected file leaves nothing behind.
public struct InvoiceIngest: Sendable {
    public let database: SubletDatabase
    public let limits: FeedLimits

    public init(database: SubletDatabase, configuration: Settings) {
        self.database = database
        limits = configuration.feedLimits
    }

    /// Throws `FeedError` when the file is rejected or cannot be read. The file is opened once,
    /// safely (`SafeFile`): the hash and the parser read the same descriptor.
    public func ingest(path: String, context: ChangeContext, progress: (FileProgress) -> Void = { _ in }) throws -> IngestOutcome {
        try ingest(try SafeFile.open(path, maximumBytes: limits.maximumFileBytes), context: context, progress: progress)
    }

    /// Takes in a file already opened (and its size checked) with `SafeFile.open`; `progress`
    /// hears after each document stored.
    public func ingest(_ file: SafeFile, context: ChangeContext, progress: (FileProgress) -> Void = { _ in }) throws -> IngestOutcome {
        let (digest, bytes) = try Self.sha256(file)
        let reader = InvoiceFeedReader(file: file, limits: limits)
        do {
            return try database.ingest(InboundFile(name: file.displayName, sha256: digest, bytes: bytes), context: context) { store in
                var stored = 0
                try reader.readAhead { document in
                    try store(document)
                    stored += 1
                    if stored % 100 == 0 { progress(FileProgress(parsedBytes: file.parsedBytes, size: file.size, items: stored)) }
                }
            }
        } catch let error as FilingError {
            // Identification lets no such document through; should one come, the file is rejected, not retried for ever.
            throw FeedError.unidentifiable(file: file.displayName, problems: [DocumentProblem(line: 1, message: error.description)])
        }
    }

    /// The file's SHA-256 in hex, read in 1 MiB pieces (as far as its size when opened).
    static func sha256(_ file: SafeFile) throws(FeedError) -> (String, Int) {
        var hasher = SHA256Digest()
        var bytes = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = try file.read(into: buffer, at: bytes)
            if count == 0 { break }
            bytes += count
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return (hasher.hex(), bytes)
    }
}

extension Settings {
    /// The bounds of an inbound file, invoices or payments (`ingest.max_file_mb`).
    var feedLimits: FeedLimits { FeedLimits(maximumFileBytes: maximumFileMegabytes * 1024 * 1024) }
}
