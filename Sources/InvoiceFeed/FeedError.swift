import SubletDomain

/// Why a supplier file is rejected as a whole; nothing from it is stored. Each case says where.
public enum FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case tooLarge(file: String, bytes: Int, limit: Int)
    case malformed(file: String, line: Int, column: Int, reason: String)
    /// DOCTYPE, entities, too deep, too long: refused for safety.
    case forbidden(file: String, line: Int, column: Int, reason: String)
    case unsupported(file: String, line: Int, column: Int, reason: String)
    case noDocuments(file: String, root: String)
    /// Readable XML, but a document lacks what identifies it (number, date, seller, currency,
    /// totals) or has an amount that is not a number.
    case unidentifiable(file: String, problems: [DocumentProblem])

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot be read: \(reason)"
        case let .tooLarge(file, bytes, limit): "\(file): \(bytes) bytes is more than the limit of \(limit) (ingest.max_file_mb)"
        case let .malformed(file, line, column, reason): "\(file):\(line):\(column): not well-formed XML: \(reason). Ask the supplier to resend it."
        case let .forbidden(file, line, column, reason): "\(file):\(line):\(column): refused: \(reason)"
        case let .unsupported(file, line, column, reason): "\(file):\(line):\(column): unsupported: \(reason)"
        case let .noDocuments(file, root):
            "\(file): no PEPPOL BIS 3 Invoice or CreditNote found (root element \(root)); expected <Invoice xmlns=\"\(UBL.invoice)\"> or <CreditNote xmlns=\"\(UBL.creditNote)\">, alone or under a wrapper"
        case let .unidentifiable(file, problems):
            problems.map { "\(file):\($0.line):" + ($0.column > 0 ? "\($0.column):" : "") + " \($0.message)" }.joined(separator: "\n")
        }
    }

    /// The file, as every case names it.
    public var file: String {
        switch self {
        case let .unreadable(file, _), let .tooLarge(file, _, _), let .malformed(file, _, _, _), let .forbidden(file, _, _, _),
             let .unsupported(file, _, _, _), let .noDocuments(file, _), let .unidentifiable(file, _): file
        }
    }
}

/// The UBL 2.1 namespaces.
public enum UBL {
    public static let invoice = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    public static let creditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    public static let aggregate = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    public static let basic = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    /// Svefaktura 1.0 (UBL 1.0 based): recognised to say it is not supported.
    public static let svefaktura = "urn:sfti:documents:BasicInvoice:1:0"
}

/// Safety limits for one file.
public struct FeedLimits: Sendable, Equatable {
    public var maximumFileBytes: Int
    public var maximumDepth: Int
    public var maximumTextBytes: Int
    public var maximumDocuments: Int

    public init(maximumFileBytes: Int = 200 * 1024 * 1024, maximumDepth: Int = 64, maximumTextBytes: Int = 1024 * 1024,
                maximumDocuments: Int = 1_000_000) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumDepth = maximumDepth
        self.maximumTextBytes = maximumTextBytes
        self.maximumDocuments = maximumDocuments
    }
}
