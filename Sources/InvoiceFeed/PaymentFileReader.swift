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

    /// The file's payments, or the reason it is rejected (`PaymentFileError` for BgMax,
    /// `FeedError` for XML, with file, line and column).
    public func read(_ file: SafeFile) throws -> PaymentFile {
        let prefix = try file.prefix(4096)
        switch Self.format(of: prefix) {
        case .bgmax:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(file.size)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let count = try file.read(into: buffer, at: bytes.count)
                if count == 0 { break }
                bytes += buffer[..<count]
            }
            return try BgMaxReader(payeeBankgiro: payeeBankgiro, file: file.displayName).read(bytes)
        case .camt054:
            try InvoiceFeedReader(file: file, limits: limits).refuseDocumentTypeDeclaration(in: file)
            var handler = CamtHandler(file: file.displayName, payeeBankgiro: payeeBankgiro)
            try XMLStream(file: file, limits: limits).read(into: &handler)
            return PaymentFile(format: .camt054, payments: handler.payments, skipped: handler.skipped)
        case nil:
            throw PaymentFileError(
                file: file.displayName, line: 1, column: 1,
                reason:
                    "neither a camt.054 notification (ISO 20022) nor a BgMax file (it starts with \(Quote.excerpt(String(decoding: prefix.prefix(20), as: UTF8.self))))"
            )
        }
    }
}
