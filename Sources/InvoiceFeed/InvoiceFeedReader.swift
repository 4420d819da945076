import Foundation
import SubletDomain

/// Reads a landlord's file: one `Invoice` or `CreditNote`, or many under any wrapper element (a
/// batch feed, a Standard Business Document envelope). Streams: each document is handed over as
/// soon as it ends, and memory stays flat for any file size.
public struct InvoiceFeedReader: Sendable {
    public let path: String
    public let displayName: String
    public let limits: FeedLimits
    /// The file already opened (by the ingest, which hashed it), or `nil` to open `path`.
    let file: SafeFile?

    public init(path: String, displayName: String? = nil, limits: FeedLimits = FeedLimits()) {
        self.path = path
        self.displayName = displayName ?? URL(fileURLWithPath: path).lastPathComponent
        self.limits = limits
        file = nil
    }

    /// Reads a file already opened with `SafeFile.open`, which checked its size.
    public init(file: SafeFile, limits: FeedLimits = FeedLimits()) {
        path = file.path
        displayName = file.displayName
        self.limits = limits
        self.file = file
    }

    /// Calls `body` with every document in file order. Throws `FeedError` on the first reason to
    /// reject the file (the caller's transaction then stores nothing), or `body`'s own error.
    /// Returns the number of documents.
    @discardableResult
    public func read(_ body: (SupplierInvoice) throws -> Void) throws -> Int {
        let file = try self.file ?? SafeFile.open(path, displayName: displayName, maximumBytes: limits.maximumFileBytes)
        try refuseDocumentTypeDeclaration(in: file)
        let name = displayName, limits = limits
        var count = 0
        return try withoutActuallyEscaping(body) { body in
            var builder = InvoiceDocumentBuilder(file: displayName) { document in
                let problems = document.identificationProblems()
                guard problems.isEmpty else { throw FeedError.unidentifiable(file: name, problems: problems) }
                count += 1
                guard count <= limits.maximumDocuments else {
                    throw FeedError.forbidden(
                        file: name, line: document.sourceLine, column: 0, reason: "more than \(limits.maximumDocuments) documents")
                }
                try body(document)
            }
            try XMLStream(file: file, limits: limits).read(into: &builder)
            guard count > 0 else {
                let root = builder.root
                throw FeedError.noDocuments(file: displayName, root: root?.name ?? "none", line: root?.line ?? 1, column: root?.column ?? 1)
            }
            return count
        }
    }

    /// Like `read`, but parses on a thread of its own, at most `bufferedDocuments` ahead of
    /// `body`, so parsing and storing overlap on a machine with two cores while memory stays
    /// bounded. `body` runs on the caller's thread; when it throws, the parser is stopped. The
    /// parser's thread has ended when this returns.
    @discardableResult
    public func readAhead(bufferedDocuments: Int = 256, _ body: (SupplierInvoice) throws -> Void) throws -> Int {
        XMLStream.prepare()
        let reader = self
        return try DocumentChannel<SupplierInvoice>.pipe(
            capacity: bufferedDocuments, produce: { channel in try reader.read { try channel.send($0) } },
            consume: { batch in for document in batch { try body(document) } })
    }

    /// Refuses a DOCTYPE in the prolog before the parser sees it, saying exactly where (the
    /// streaming parser reports it only after reading past it). The parser refuses it too.
    func refuseDocumentTypeDeclaration(in file: SafeFile) throws {
        let bytes = try file.prefix(64 * 1024)
        let marker = Array("<!DOCTYPE".utf8)
        var line = 1, column = 1
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "?"),
                bytes[index + 1] != UInt8(ascii: "!")
            {
                return  // the root element: the prolog is over
            }
            if bytes[index...].starts(with: marker) {
                throw FeedError.forbidden(
                    file: displayName, line: line, column: column,
                    reason: "a DOCTYPE (document type declarations and entities are not accepted)")
            }
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    /// Every document of the file, for tests and small files.
    public func documents() throws -> [SupplierInvoice] {
        var result: [SupplierInvoice] = []
        try read { result.append($0) }
        return result
    }
}
