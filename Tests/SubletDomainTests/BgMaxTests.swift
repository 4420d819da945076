import SubletDomain
import Testing

/// A BgMax file written record by record: each padded to 80 columns and encoded as ISO-8859-1.
struct BgMaxFile {
    var records: [String]

    var bytes: [UInt8] {
        records.flatMap { record in
            let padded = record.unicodeScalars.count < 80 ? record + String(repeating: " ", count: 80 - record.unicodeScalars.count) : record
            return padded.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } + [0x0A]
        }
    }

    /// The first deposit of Bankgirot's public example file (docs/formats.md, "BgMax"): 1 000,00
    /// + 1 400,00 − 500,00 = 1 900,00 kr, one payment with four extra references.
    static let example = BgMaxFile(records: [
        "01BGMAX               0120040525173035010331P",
        "050009912346          SEK",
        "200003783511                   655969000000000000100000220000000000100",
        "26Kalles Plåt AB",
        "27Storgatan 2                        12345",
        "28Storåker",
        "29005500001234",
        "21000378351189853                    0000000000000500003200023000011100",
        "26Kalles Plåt AB",
        "200003783511657866 658765 657767     000000000000140000320000000000140",
        "220003783511                   657866000000000000000000220000000000140",
        "220003783511                   658765000000000000000000220000000000140",
        "220003783511                   657767000000000000000000220000000000140",
        "220003783511                   657965000000000000000000220000000000140",
        "25Betalning med extra refnr 657965",
        "15000000000000000000058410000010098232004052500074000000000000190000SEK00000003",
        "7000000002000000010000000400000001",
    ])

    func replacing(_ index: Int, with record: String) -> BgMaxFile {
        var copy = self
        copy.records[index] = record
        return copy
    }
}

@Suite struct BgMaxTests {
    let reader = BgMaxReader(payeeBankgiro: "991-2346", file: "bgmax.txt")

    @Test func readsBankgirotsExample() throws {
        let file = try reader.read(BgMaxFile.example.bytes)
        #expect(file.format == .bgmax)
        #expect(file.payments.map(\.amount) == [Money(kronor: 1000), Money(kronor: -500), Money(kronor: 1400)])
        let first = try #require(file.payments.first)
        #expect(first.references == ["655969"])
        #expect(first.referenceVerified)
        #expect(first.payerName == "Kalles Plåt AB")
        #expect(first.payerID == "005500001234")
        #expect(first.paymentDate == CalendarDate(year: 2004, month: 5, day: 25))
        #expect(first.bankKey == "bgmax:9912346:2004-05-25:00074:000000000010:100000")
        #expect(first.line == 3)
        let deduction = file.payments[1]
        #expect(!deduction.referenceVerified, "a deduction is never applied automatically")
        let several = file.payments[2]
        #expect(several.references == ["657866", "658765", "657767", "657866", "658765", "657767", "657965"])
        #expect(!several.referenceVerified)
        #expect(several.text == "Betalning med extra refnr 657965")
    }

    @Test func acceptsWindowsLineEnds() throws {
        let bytes = BgMaxFile.example.bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        #expect(try reader.read(bytes).payments.count == 3)
    }

    @Test(
        arguments: [
            (
                2, "200003783511                   655969000000000000100001220000000000100",
                "16:51: the deposit amount 1\u{00A0}900,00 kr is not its payments less deductions, 1\u{00A0}900,01 kr"
            ),
            (15, "15000000000000000000058410000010098232004052500074000000000000190000SEK00000004", "16:72: the deposit says 4 payments"),
            (16, "7000000003000000010000000400000001", "17:3: the end record counts 3 payment records"),
            (16, "7000000002000000010000000300000001", "17:19: the end record counts 3 extra reference records"),
            (1, "050001234566          SEK", "2:3: payments to bankgiro 1234566, not the city's 9912346"),
            (1, "050009912346          EUR", "2:23: currency 'EUR', not SEK"),
            (0, "01BGMAX               0120040525173035010331T", "1:45: a test file"),
            (2, "200003783511                   6559690000000000001000x0220000000000100", "3:38: amount '0000000000001000x0' is not digits"),
            (2, "200003783511                   655969000000000000100000920000000000100", "3:56: referenskod '9' is not 0–5"),
            (3, "99Kalles", "4: record type '99' is not a BgMax record"),
            (15, "15000000000000000000058410000010098232004053200074000000000000190000SEK00000003", "16:38: payment date '20040532'"),
        ] as [(Int, String, String)])
    func rejectsWhatDoesNotAddUp(index: Int, record: String, message: String) {
        #expect(throws: PaymentFileError.self) { try reader.read(BgMaxFile.example.replacing(index, with: record).bytes) }
        do {
            _ = try reader.read(BgMaxFile.example.replacing(index, with: record).bytes)
        } catch {
            #expect(error.description.contains("bgmax.txt:" + message), "\(error)")
        }
    }

    @Test func rejectsARecordOfTheWrongLength() throws {
        var bytes = BgMaxFile.example.bytes
        bytes.insert(UInt8(ascii: " "), at: 81 + 79)  // the second record gets 81 columns
        #expect(throws: PaymentFileError(file: "bgmax.txt", line: 2, reason: "a record is 80 characters; this one has 81")) {
            try reader.read(bytes)
        }
    }

    @Test func rejectsAFileCutShort() {
        var file = BgMaxFile.example
        file.records.removeLast()
        #expect(throws: PaymentFileError(file: "bgmax.txt", line: 16, reason: "no end record (TK70): the file is cut short")) {
            try reader.read(file.bytes)
        }
    }

    @Test func rejectsAFileThatIsNotBgMax() {
        #expect(throws: PaymentFileError(file: "bgmax.txt", line: 1, reason: "the file is empty")) { try reader.read([]) }
        #expect(!BgMaxReader.looksLikeBgMax(Array("<?xml".utf8)))
        #expect(BgMaxReader.looksLikeBgMax(BgMaxFile.example.bytes))
    }
}
