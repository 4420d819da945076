import PropertyBased
import SubletDomain
import Testing

/// A BgMax payment is handed on as soon as its records are read when a first pass has found its
/// deposit's TK15 (`BgMaxReader.Closings`), instead of with its whole deposit at the TK15. The
/// two ways must read every file alike: the same payments in the same order, or the same
/// rejection at the same line.
@Suite struct BgMaxStreamingTests {
    let reader = BgMaxReader(payeeBankgiro: "991-2346", file: "bgmax.txt")

    /// `deposits` copies of the example's deposit, each with its own serial and date.
    static func file(deposits: Int) -> BgMaxFile {
        let example = BgMaxFile.example.records
        var records = [example[0]]
        for deposit in 0..<deposits {
            records += example[1...14]
            var closing = Array(example[15])
            let date = Array("200405\(10 + deposit % 18)")
            let serial = Array(String(deposit + 1).leftPadded(to: 5))
            closing.replaceSubrange(37..<45, with: date)
            closing.replaceSubrange(45..<50, with: serial)
            records.append(String(closing))
        }
        let count = { (value: Int) in String(value).leftPadded(to: 8) }
        records.append("70" + count(2 * deposits) + count(deposits) + count(4 * deposits) + count(deposits))
        return BgMaxFile(records: records)
    }

    static let strangers = [
        "15000000000000000000058410000010098232004052500074000000000000190000SEK00000004",
        "15000000000000000000058410000010098232004059900074000000000000190000SEK00000003",
        "050009912346          SEK",
        "26Someone Else",
        "220003783511                   657965000000000000000000220000000000140",
        "200003783511                   655969000000000000100000220000000000100",
        "99Nothing",
    ]

    @Test func aFileReadAheadOfItsTK15sReadsAsAFileHeldUntilThem() async {
        await propertyCheck(input: Gen.int(in: 1...6), Gen.int(in: 0...Int(Int32.max))) { deposits, seed in
            var file = Self.file(deposits: deposits)
            var random = UInt64(seed)
            func next(_ bound: Int) -> Int {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((random >> 33) % UInt64(bound))
            }
            // Sound, or with one record removed, repeated or replaced.
            let index = 1 + next(file.records.count - 1)
            switch next(4) {
            case 0: break
            case 1: file.records.remove(at: index)
            case 2: file.records.insert(file.records[index], at: index)
            default: file.records[index] = Self.strangers[next(Self.strangers.count)]
            }
            let ahead = Result { () throws(PaymentFileError) in try reader.read(file.bytes, aheadOfTK15: true) }
            let held = Result { () throws(PaymentFileError) in try reader.read(file.bytes, aheadOfTK15: false) }
            #expect(ahead == held)
        }
    }

    @Test func aPaymentIsHandedOnBeforeItsDepositsTK15() throws {
        let bytes = Self.file(deposits: 2).bytes
        var closings = BgMaxReader.Closings()
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        for line in lines { closings.scan(line) }
        #expect(closings.deposits.count == 2)
        var reading = BgMaxReader.Reading(reader: reader, closings: closings)
        var ready: [IncomingPayment] = []
        // Through the deposit's third payment record (line 10): the first two are complete.
        for line in lines.prefix(10) { try reading.record(line, into: &ready) }
        #expect(ready.map(\.line) == [3, 8])
        #expect(ready.first?.bankKey == "bgmax:9912346:2004-05-10:00001:000000000010:100000")
        for line in lines.dropFirst(10) { try reading.record(line, into: &ready) }
        try reading.finish()
        #expect(ready == (try reader.read(bytes, aheadOfTK15: false)).payments)
    }

    @Test func aTK15ThatChangedSinceTheFirstPassRejectsTheFile() throws {
        let first = Self.file(deposits: 1)
        var closings = BgMaxReader.Closings()
        for line in first.bytes.split(separator: 0x0A) { closings.scan(line) }
        let changed = first.replacing(15, with: "15000000000000000000058410000010098232004052600001000000000000190000SEK00000003")
        var reading = BgMaxReader.Reading(reader: reader, closings: closings)
        var ready: [IncomingPayment] = []
        #expect(throws: PaymentFileError.self) {
            for line in changed.bytes.split(separator: 0x0A) { try reading.record(line, into: &ready) }
        }
        do {
            var again = BgMaxReader.Reading(reader: reader, closings: closings)
            for line in changed.bytes.split(separator: 0x0A) { try again.record(line, into: &ready) }
        } catch {
            #expect(error.description.hasPrefix("bgmax.txt:16: the deposit's date or serial is not what the first reading"), "\(error)")
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
