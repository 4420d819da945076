import Crypto
import Foundation
import InvoiceFeed
import SubletDomain
import SubletStorage

/// Takes a landlord's file in: hashes it, streams its documents into the database in one
/// transaction, and says what happened. A rejected file leaves nothing behind.
public struct InvoiceIngest: Sendable {
    public let database: SubletDatabase
    public let limits: FeedLimits

    public init(database: SubletDatabase, configuration: SubletConfiguration) {
        self.database = database
        limits = FeedLimits(maximumFileBytes: configuration.maximumFileMegabytes * 1024 * 1024)
    }

    /// Throws `FeedError` when the file is rejected.
    public func ingest(path: String, context: ChangeContext) throws -> IngestOutcome {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let (digest, bytes) = try Self.sha256(path: path, displayName: name, limit: limits.maximumFileBytes)
        let reader = InvoiceFeedReader(path: path, displayName: name, limits: limits)
        return try database.ingest(InboundFile(name: name, sha256: digest, bytes: bytes), context: context) { store in
            try reader.readAhead(store)
        }
    }

    /// The file's SHA-256 in hex, read in 1 MiB pieces.
    static func sha256(path: String, displayName: String, limit: Int) throws -> (String, Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FeedError.unreadable(file: displayName, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw FeedError.unreadable(file: displayName, reason: "\(error)")
            }
            if chunk.isEmpty { break }
            bytes += chunk.count
            guard bytes <= limit else { throw FeedError.tooLarge(file: displayName, bytes: bytes, limit: limit) }
            hasher.update(data: chunk)
        }
        return (hasher.finalize().map { String($0, radix: 16).zeroPadded(to: 2) }.joined(), bytes)
    }
}
