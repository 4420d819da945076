import SubletDomain

/// Why a supplier file is rejected as a whole; nothing from it is stored. Each case says where.
public enum FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no such file.
    case notFound(file: String)
    /// A FIFO, socket, device, directory or symbolic link: never opened.
    case notRegular(file: String, kind: String)
    case unreadable(file: String, reason: String)
    /// Zero bytes.
    case empty(file: String)
    case tooLarge(file: String, bytes: Int, limit: Int)
    case malformed(file: String, line: Int, column: Int, reason: String)
    /// DOCTYPE, entities, too deep, too long: refused for safety.
    case forbidden(file: String, line: Int, column: Int, reason: String)
    case unsupported(file: String, line: Int, column: Int, reason: String)
    /// No Invoice or CreditNote: `line` and `column` are where the root element starts.
    case noDocuments(file: String, root: String, line: Int, column: Int)
    /// Readable XML, but a document lacks what identifies it (number, date, seller, currency,
    /// totals) or has an amount that is not a number.
    case unidentifiable(file: String, problems: [DocumentProblem])

    public var description: String {
        let file = Quote.escapingControlCharacters(file)
        return switch self {
        case .notFound: "\(file): no such file"
        case .notRegular(_, let kind): "\(file): not a regular file but \(kind); only regular files are taken in"
        case .unreadable(_, let reason): "\(file): cannot be read: \(reason)"
        case .empty: "\(file):1:1: the file is empty (0 bytes); there is nothing to take in. Ask the sender to send it again."
        case .tooLarge(_, let bytes, let limit): "\(file): \(bytes) bytes is more than the limit of \(limit) (ingest.max_file_mb)"
        case .malformed(_, let line, let column, let reason):
            "\(file):\(line):\(column): not well-formed XML: \(reason). Ask the supplier to resend it."
        case .forbidden(_, let line, let column, let reason): "\(file):\(line):\(column): refused: \(reason)"
        case .unsupported(_, let line, let column, let reason): "\(file):\(line):\(column): unsupported: \(reason)"
        case .noDocuments(_, let root, let line, let column):
            "\(file):\(line):\(column): no PEPPOL BIS 3 Invoice or CreditNote found (root element \(root)); expected <Invoice xmlns=\"\(UBL.invoice)\"> or <CreditNote xmlns=\"\(UBL.creditNote)\">, alone or under a wrapper"
        case .unidentifiable(_, let problems):
            problems.map { "\(file):\($0.line):" + ($0.column > 0 ? "\($0.column):" : "") + " \($0.message)" }.joined(separator: "\n")
        }
    }

    /// The file, as every case names it.
    public var file: String {
        switch self {
        case .notFound(let file), .notRegular(let file, _), .unreadable(let file, _), .empty(let file), .tooLarge(let file, _, _),
            .malformed(let file, _, _, _), .forbidden(let file, _, _, _), .unsupported(let file, _, _, _), .noDocuments(let file, _, _, _),
            .unidentifiable(let file, _):
            file
        }
    }

    /// The file could not be read at all (missing, not a regular file, unreadable): an input
    /// problem (exit 66), not a rejected file (exit 65).
    public var isUnreadableInput: Bool {
        switch self {
        case .notFound, .notRegular, .unreadable: true
        default: false
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

    public init(
        maximumFileBytes: Int = 200 * 1024 * 1024, maximumDepth: Int = 64, maximumTextBytes: Int = 1024 * 1024,
        maximumDocuments: Int = 1_000_000
    ) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumDepth = maximumDepth
        self.maximumTextBytes = maximumTextBytes
        self.maximumDocuments = maximumDocuments
    }
}

extension FeedError: CategorizedError {
    public var category: ErrorCategory { isUnreadableInput ? .missingInput : .invalidInput }
}
