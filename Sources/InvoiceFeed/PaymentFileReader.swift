import Foundation
import SubletDomain

/// Reads a bank's payment file, camt.054 or BgMax, told apart by content (the camt namespace,
/// the BgMax start record), never by name. The file is opened once, safely (`SafeFile`).
public struct PaymentFileReader: Sendable {
    public var payeeBankgiro: String
    public var limits: FeedLimits

    public init(payeeBankgiro: String, limits: FeedLimits = FeedLimits()) {
        self.payeeBankgiro = payeeBankgiro
        self.limits = limits
    }

    /// What a file's first bytes say it is: a payment file's format, or `nil` (an invoice file, or
    /// anything else).
    public static func format(of prefix: [UInt8]) -> IncomingPayment.Format? {
        if BgMaxReader.looksLikeBgMax(prefix) { return .bgmax }
        let text = String(decoding: prefix, as: UTF8.self)
        return text.contains("urn:iso:std:iso:20022:tech:xsd:camt.054.") ? .camt054 : nil
    }

    /// Whether the file at `file` is a payment file (for the daemon's inbox).
    public static func isPaymentFile(_ file: SafeFile) -> Bool {
        (try? file.prefix(4096)).map { format(of: $0) != nil } ?? false
    }

    /// What a file held, besides its payments.
    public struct Summary: Sendable, Equatable {
        public var format: IncomingPayment.Format
        public var payments: Int
        /// Entries read but not payments (debits), in words.
        public var skipped: [String]
    }

    /// The file's format, from its first bytes, or the reason it is neither.
    public func format(of file: SafeFile) throws -> IncomingPayment.Format {
        let prefix = try file.prefix(4096)
        guard let format = Self.format(of: prefix) else {
            throw PaymentFileError(
                file: file.displayName, line: 1, column: 1,
                reason:
                    "neither a camt.054 notification (ISO 20022) nor a BgMax file (it starts with \(Quote.excerpt(String(decoding: prefix.prefix(20), as: UTF8.self))))"
            )
        }
        return format
    }

    /// Streams the file's payments to `body` on the caller's thread, a batch at a time, while a
    /// thread of its own parses ahead (a bounded queue between them, so memory stays flat).
    /// Throws the reason the file is rejected (`PaymentFileError` for BgMax, `FeedError` for XML,
    /// with file, line and column), possibly after batches were handed on: the caller stores them
    /// in one transaction and rolls it back.
    public func read(
        _ file: SafeFile, whileParsing prepare: () throws -> Void = {}, _ body: ([IncomingPayment]) throws -> Void
    ) throws -> Summary {
        let format = try format(of: file)
        if format == .camt054 { try InvoiceFeedReader(file: file, limits: limits).refuseDocumentTypeDeclaration(in: file) }
        XMLStream.prepare()
        let reader = self
        let skipped = SkippedEntries()
        // The caller's own preparation (loading the register) runs while the parser reads.
        let count = try DocumentChannel<IncomingPayment>.pipe(
            // BgMax: room for the parser to read well ahead while the register loads (its core
            // is otherwise idle then); still a bound, whatever a deposit's size.
            capacity: format == .bgmax ? 32_768 : 4_096,
            produce: { channel in
                let (count, skippedEntries) =
                    switch format {
                    case .bgmax: try reader.parseBgMax(file) { try channel.send(contentsOf: $0) }
                    case .camt054: try reader.parseCamt(file) { try channel.send($0) }
                    }
                skipped.entries = skippedEntries
                return count
            }, meanwhile: prepare, consume: body)
        return Summary(format: format, payments: count, skipped: skipped.entries)
    }

    /// BgMax line by line, twice: a first pass finds each deposit's date and serial in its TK15
    /// (`BgMaxReader.Closings`), so that the second hands each payment on as it is read, a few
    /// hundred at a time, instead of holding a whole deposit until its TK15 checks it.
    private func parseBgMax(_ file: SafeFile, _ send: ([IncomingPayment]) throws -> Void) throws -> (Int, [String]) {
        let closings = try Self.closings(of: file)
        var reading = BgMaxReader.Reading(reader: BgMaxReader(payeeBankgiro: payeeBankgiro, file: file.displayName), closings: closings)
        var count = 0
        var ready: [IncomingPayment] = []
        ready.reserveCapacity(1_024)
        func hand() throws {
            count += ready.count
            try send(ready)
            ready.removeAll(keepingCapacity: true)
        }
        try Self.lines(of: file, progress: true) { line in
            try reading.record(line, into: &ready)
            if ready.count >= 512 { try hand() }
        }
        try reading.finish()
        if !ready.isEmpty { try hand() }
        return (count, [])
    }

    /// The first pass over a BgMax file: each deposit's TK15 date and serial.
    static func closings(of file: SafeFile) throws -> BgMaxReader.Closings {
        var closings = BgMaxReader.Closings()
        try lines(of: file, progress: false, startingWith: Array("15".utf8)) { closings.scan($0) }
        return closings
    }

    /// Each line of `file`, without its `\n`, or only those starting with `prefix` (the others
    /// are not copied); `progress` marks the bytes read as parsed.
    private static func lines(
        of file: SafeFile, progress: Bool, startingWith prefix: [UInt8] = [], _ body: (ArraySlice<UInt8>) throws -> Void
    ) throws {
        var line: [UInt8] = []
        var offset = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let read = try file.read(into: buffer, at: offset)
            if read == 0 { break }
            offset += read
            if progress { file.markParsed(upTo: offset) }
            // Copied a line at a time, as whole runs of bytes (a record is rarely cut by the buffer's end).
            let bytes = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: read)
            var start = 0
            while let found = memchr(bytes.baseAddress! + start, 0x0A, read - start) {
                let newline = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<newline])
                if line.isEmpty, !piece.starts(with: prefix) {
                    start = newline + 1
                    continue
                }
                line.append(contentsOf: piece)
                if line.starts(with: prefix) { try body(line[...]) }
                line.removeAll(keepingCapacity: true)
                start = newline + 1
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        if !line.isEmpty, line.starts(with: prefix) { try body(line[...]) }
    }

    private func parseCamt(_ file: SafeFile, _ send: @escaping (IncomingPayment) throws -> Void) throws -> (Int, [String]) {
        var handler = CamtHandler(file: file.displayName, payeeBankgiro: payeeBankgiro, deliver: send)
        try XMLStream(file: file, limits: limits).read(into: &handler)
        return (handler.count, handler.skipped)
    }
}

/// The debit entries a parser thread skipped, read after it has finished.
private final class SkippedEntries: @unchecked Sendable {
    var entries: [String] = []
}
