import Foundation
import SubletDomain
import Testing

@testable import InvoiceFeed

/// `PaymentFileReader` reads a BgMax file in 1 MiB blocks, twice (the deposits' TK15s first).
/// A record cut by a block's end, a TK15 above all (its "1" in one block, its "5" in the next),
/// must read as the whole file read at once does.
@Suite struct PaymentFileReaderTests {
    static let block = 1 << 20

    /// A file whose first TK15 starts at byte `closingAt`, with a second, small deposit after it.
    static func file(closingAt: Int) -> [UInt8] {
        func record(_ text: String) -> String { text + String(repeating: " ", count: 80 - text.count) }
        func payment(_ serial: Int) -> String {
            let digits = String(serial)
            return record(
                "20" + "0003783511" + String(repeating: " ", count: 19) + "655969" + "000000000000100000" + "2" + "2"
                    + String(repeating: "0", count: 12 - digits.count) + digits)
        }
        func closing(serial: String, count: Int) -> String {
            let sum = String(count * 100_000)
            let payments = String(count)
            return "15" + String(repeating: "0", count: 35) + "20261126" + serial + String(repeating: "0", count: 18 - sum.count) + sum
                + "SEK" + String(repeating: "0", count: 8 - payments.count) + payments + " "
        }
        // 81 bytes a line, 82 with "\r\n": the first lines take a "\r" until the TK15 falls where asked.
        var lines = [record("01BGMAX               0120261126120000000000P"), record("050009912346          SEK")]
        var serial = 0
        var length = 2 * 81
        while length + 2 * 81 <= closingAt {
            serial += 1
            lines += [payment(serial), record("26ANNA ANDERSSON")]
            length += 2 * 81
        }
        if closingAt - length >= 81 {
            lines.append(record("25Hyra"))
            length += 81
        }
        let carriageReturns = closingAt - length
        precondition((0..<lines.count).contains(carriageReturns))
        lines.append(closing(serial: "00001", count: serial))
        lines += [record("050009912346          SEK"), payment(9_000_001), record("26NILS OKÄND"), closing(serial: "00002", count: 1)]
        let payments = String(serial + 1)
        lines.append(
            record("70" + String(repeating: "0", count: 8 - payments.count) + payments + "00000000" + "00000000" + "00000002"))
        return lines.enumerated().flatMap { index, line in
            line.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } + (index < carriageReturns ? [0x0D, 0x0A] : [0x0A])
        }
    }

    @Test(arguments: [block - 1, block - 2, block - 40, block, block + 1])
    func aRecordCutByABlocksEndReadsAsTheWholeFileReadAtOnce(closingAt: Int) throws {
        let bytes = Self.file(closingAt: closingAt)
        #expect(Array(bytes[closingAt..<closingAt + 2]) == Array("15".utf8))
        let path = NSTemporaryDirectory() + "sublet-bgmax-" + UUID().uuidString
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var streamed: [IncomingPayment] = []
        let summary = try PaymentFileReader(payeeBankgiro: "991-2346").read(try SafeFile.open(path, displayName: "b.txt")) {
            streamed += $0
        }
        let whole = try BgMaxReader(payeeBankgiro: "991-2346", file: "b.txt").read(bytes, aheadOfTK15: false).payments
        #expect(summary.format == .bgmax)
        #expect(summary.payments == whole.count)
        #expect(streamed == whole)
        #expect(streamed.last?.bankKey == "bgmax:9912346:2026-11-26:00002:000009000001:100000")
        // The first pass found both TK15s, the cut one too: the deposits' payments went on as
        // they were read, not held until their TK15.
        let closings = try PaymentFileReader.closings(of: try SafeFile.open(path)).deposits
        #expect(closings.count == 2)
        #expect(closings.allSatisfy { $0 != nil })
    }
}
