/// Bankgirot's BgMax file of incoming payments (docs/formats.md, "BgMax"): 80-column records in
/// ISO-8859-1. Every check is made before anything is returned; the first failure rejects the
/// file with its line.
public struct BgMaxReader: Sendable {
    /// The city's own bankgiro (`payee.bankgiro`), digits only: every deposit must be to it.
    public var payeeBankgiro: String
    public var file: String

    public init(payeeBankgiro: String, file: String) {
        self.payeeBankgiro = payeeBankgiro.filter(\.isNumber)
        self.file = file
    }

    /// Whether `bytes` starts like a BgMax file (the start record), for telling formats apart.
    public static func looksLikeBgMax(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: Array("01BGMAX".utf8))
    }

    /// Every payment of a whole file in memory (tests, small files); `aheadOfTK15` reads the
    /// file twice, as a stream is (`Closings`), else each deposit is held until its TK15.
    public func read(_ bytes: [UInt8], aheadOfTK15: Bool = true) throws(PaymentFileError) -> PaymentFile {
        func lines(_ body: (ArraySlice<UInt8>) throws(PaymentFileError) -> Void) throws(PaymentFileError) {
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                try body(bytes[start..<end])
                start = end + 1
            }
        }
        var closings = Closings()
        if aheadOfTK15 { try lines { closings.scan($0) } }
        var payments: [IncomingPayment] = []
        var reading = Reading(reader: self, closings: closings)
        try lines { line throws(PaymentFileError) in try reading.record(line, into: &payments) }
        try reading.finish()
        return PaymentFile(format: .bgmax, payments: payments)
    }

    /// A file read record by record, as it streams in; `finish` checks the end. A payment is
    /// handed on once its records are read when its deposit's date and serial are known from a
    /// first pass over the file (`closings`), else with its whole deposit at the TK15; either
    /// way the TK15 checks the deposit, and a failure anywhere rejects the whole file, so the
    /// caller stores what it is handed inside one transaction.
    public struct Reading: Sendable {
        let reader: BgMaxReader
        private var state: State
        private var lineNumber = 0

        public init(reader: BgMaxReader, closings: Closings = Closings()) {
            self.reader = reader
            state = State(closings: closings.deposits)
        }

        /// One line, without its `\n` (a `\r` before it is dropped); appends the payments it made
        /// ready to hand on to `ready`.
        public mutating func record(_ bytes: ArraySlice<UInt8>, into ready: inout [IncomingPayment]) throws(PaymentFileError) {
            lineNumber += 1
            var end = bytes.endIndex
            if end > bytes.startIndex, bytes[end - 1] == 0x0D { end -= 1 }
            try reader.read(Record(bytes: bytes[bytes.startIndex..<end], line: lineNumber, file: reader.file), into: &state)
            guard !state.deposited.isEmpty else { return }
            ready.append(contentsOf: state.deposited)
            state.deposited.removeAll(keepingCapacity: true)
        }

        public mutating func finish() throws(PaymentFileError) {
            guard state.started else { throw PaymentFileError(file: reader.file, line: 1, reason: "the file is empty") }
            guard state.ended else {
                throw PaymentFileError(file: reader.file, line: lineNumber, reason: "no end record (TK70): the file is cut short")
            }
        }
    }

    fileprivate struct State: Sendable {
        /// Each deposit's TK15, from the first pass (`Closings`), in file order.
        let closings: [Closing?]
        var started = false
        var ended = false
        /// Payments ready, not yet handed on.
        var deposited: [IncomingPayment] = []
        /// The open deposit section (after a TK05): its payments waiting for the TK15's date, or,
        /// with its TK15 known ahead (`early`), only the last, which TK22–29 may still add to.
        var section: [IncomingPayment]?
        var sectionLine = 0
        var early: Closing?
        var opened = 0
        var sectionPayments = 0
        var sectionSum = (ore: 0, overflow: false)
        var counts = (payments: 0, deductions: 0, references: 0, deposits: 0)

        init(closings: [Closing?]) { self.closings = closings }
    }

    private func read(_ record: Record, into state: inout State) throws(PaymentFileError) {
        guard record.bytes.count == 80 else {
            throw record.error("a record is 80 characters; this one has \(record.bytes.count)")
        }
        let type = record.type
        guard state.started || type == 1 else { throw record.error("the file does not start with a BgMax start record (TK01)") }
        guard !state.ended else { throw record.error("a record after the end record (TK70)") }
        switch type {
        case 1: try start(record, &state)
        case 5: try openSection(record, &state)
        case 20, 21: try payment(record, deduction: type == 21, &state)
        case 22, 23: try extraReference(record, &state)
        case 25...29: try detail(type, record, &state)
        case 15: try closeSection(record, &state)
        case 70: try end(record, &state)
        default: throw record.error("record type \(Quote.excerpt(record.text(1, 2))) is not a BgMax record (01, 05, 20–29, 15, 70)")
        }
    }

    private func start(_ record: Record, _ state: inout State) throws(PaymentFileError) {
        guard !state.started else { throw record.error("a second start record (TK01)") }
        guard record.text(3, 22).trimmingASCIIWhitespace() == "BGMAX" else { throw record.error("the layout name is not BGMAX", column: 3) }
        guard record.text(45, 45) == "P" else {
            throw record.error("a test file (T in column 45): only production files (P) are booked", column: 45)
        }
        state.started = true
    }

    private func openSection(_ record: Record, _ state: inout State) throws(PaymentFileError) {
        guard state.section == nil else { throw record.error("an opening record (TK05) inside an open deposit") }
        let payee = String(record.text(3, 12).drop { $0 == "0" })
        guard payee == String(payeeBankgiro.drop { $0 == "0" }) else {
            throw record.error("payments to bankgiro \(payee), not the city's \(payeeBankgiro) (payee.bankgiro)", column: 3)
        }
        let currency = record.text(23, 25)
        guard currency == "SEK" else { throw record.error("currency \(Quote.excerpt(currency)), not SEK", column: 23) }
        state.section = []
        state.sectionLine = record.line
        state.early = state.opened < state.closings.count ? state.closings[state.opened] : nil
        state.opened += 1
        state.sectionPayments = 0
        state.sectionSum = (0, false)
    }

    /// A deposit's payment as stored: its date, and its key (the payee, date, deposit
    /// serial and BGC serial, with the amount added: Bankgirot's own example file gives two
    /// payments one BGC serial, and a payment reported twice has the same amount, so nothing
    /// that is two payments is taken as one).
    private func closed(_ payment: IncomingPayment, by closing: Closing) -> IncomingPayment {
        var payment = payment
        payment.paymentDate = closing.date
        payment.bankKey = "bgmax:\(payeeBankgiro):\(closing.date):\(closing.serial):" + payment.bankKey + ":" + String(payment.amount.ore)
        return payment
    }

    private func payment(_ record: Record, deduction: Bool, _ state: inout State) throws(PaymentFileError) {
        guard state.section != nil else { throw record.error("a payment record outside a deposit (no TK05 before it)") }
        let ore = try record.number(38, 55, "amount")
        let reference = record.trimmed(13, 37)
        let code = record.byte(56)
        guard (UInt8(ascii: "0")...UInt8(ascii: "5")).contains(code) else {
            throw record.error("referenskod \(Quote.excerpt(record.text(56, 56))) is not 0–5", column: 56)
        }
        let serial = try record.digits(58, 69, "BGC serial number")
        let payment = IncomingPayment(
            format: .bgmax, bankKey: serial, amount: Money(ore: deduction ? -ore : ore), currency: "SEK",
            paymentDate: CalendarDate(dayNumber: 0),
            references: Self.words(reference), referenceVerified: code == UInt8(ascii: "2") && !deduction,
            line: record.line)
        // With the deposit's TK15 known ahead, the payment before this one is complete.
        if let early = state.early, let previous = state.section?.popLast() { state.deposited.append(closed(previous, by: early)) }
        state.section?.append(payment)
        state.sectionPayments += 1
        let (sum, overflow) = state.sectionSum.ore.addingReportingOverflow(payment.amount.ore)
        state.sectionSum = (sum, state.sectionSum.overflow || overflow)
        if deduction { state.counts.deductions += 1 } else { state.counts.payments += 1 }
    }

    /// A reference field's words (most hold one).
    private static func words(_ field: String) -> [String] {
        field.utf8.contains(0x20) ? field.split(separator: " ").map(String.init) : field.isEmpty ? [] : [field]
    }

    private func extraReference(_ record: Record, _ state: inout State) throws(PaymentFileError) {
        guard let index = state.section?.indices.last else { throw record.error("an extra reference (TK22/23) without a payment before it") }
        let reference = record.trimmed(13, 37)
        state.section?[index].references += Self.words(reference)
        state.section?[index].referenceVerified = false
        state.counts.references += 1
    }

    private func detail(_ type: Int, _ record: Record, _ state: inout State) throws(PaymentFileError) {
        guard let index = state.section?.indices.last else { throw record.error("record \(type) without a payment before it") }
        switch type {
        case 25:
            let text = record.trimmed(3, 52)
            let before = state.section?[index].text
            state.section?[index].text = [before, text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case 26: state.section?[index].payerName = record.trimmed(3, 37)
        case 29:
            let id = record.trimmed(3, 14)
            state.section?[index].payerID = id.isEmpty ? nil : id
        default: break  // 27, 28: the payer's address, not used for matching
        }
    }

    private func closeSection(_ record: Record, _ state: inout State) throws(PaymentFileError) {
        guard let section = state.section else { throw record.error("a deposit record (TK15) without an opening record (TK05)") }
        guard let date = CalendarDate(compact: record.text(38, 45)) else {
            throw record.error("payment date \(Quote.excerpt(record.text(38, 45))) is not a date (YYYYMMDD)", column: 38)
        }
        let serial = try record.digits(46, 50, "deposit serial number")
        let amount = try record.number(51, 68, "deposit amount")
        let currency = record.text(69, 71)
        guard currency == "SEK" else { throw record.error("currency \(Quote.excerpt(currency)), not SEK", column: 69) }
        let count = try record.number(72, 79, "number of payments")
        guard count == state.sectionPayments else {
            throw record.error(
                "the deposit says \(count) payments; its section (from line \(state.sectionLine)) has \(state.sectionPayments)", column: 72)
        }
        guard !state.sectionSum.overflow else { throw record.error("the deposit's payments add up beyond any amount Sublet accepts") }
        let sum = state.sectionSum.ore
        guard sum == amount else {
            throw record.error(
                "the deposit amount \(Money(ore: amount).swedish) kr is not its payments less deductions, \(Money(ore: sum).swedish) kr",
                column: 51)
        }
        let closing = Closing(date: date, serial: serial)
        if let early = state.early, early != closing {
            throw record.error("the deposit's date or serial is not what the first reading of the file found: the file changed while it was read")
        }
        for payment in section { state.deposited.append(closed(payment, by: closing)) }
        state.section = nil
        state.early = nil
        state.counts.deposits += 1
    }

    private func end(_ record: Record, _ state: inout State) throws(PaymentFileError) {
        guard state.section == nil else { throw record.error("the end record (TK70) comes before the open deposit's TK15") }
        let expected = (
            payments: try record.number(3, 10, "count of payments"), deductions: try record.number(11, 18, "count of deductions"),
            references: try record.number(19, 26, "count of extra references"), deposits: try record.number(27, 34, "count of deposits")
        )
        let found = state.counts
        for (name, said, counted, column) in [
            ("payment records (TK20)", expected.payments, found.payments, 3), ("deduction records (TK21)", expected.deductions, found.deductions, 11),
            ("extra reference records (TK22/23)", expected.references, found.references, 19),
            ("deposit records (TK15)", expected.deposits, found.deposits, 27),
        ] where said != counted {
            throw record.error("the end record counts \(said) \(name); the file has \(counted)", column: column)
        }
        state.ended = true
    }
}

extension BgMaxReader {
    /// A deposit's payment date and serial, as its closing record (TK15) gives them.
    public struct Closing: Sendable, Equatable {
        var date: CalendarDate
        var serial: String
    }

    /// Each deposit's date and serial in file order, from a first pass over the file's lines:
    /// with them a deposit's payments are handed on as they are read instead of held until its
    /// TK15, so memory stays flat whatever a deposit's size. Nothing is trusted: the second pass
    /// checks every TK15 in full and that it says what the first pass read.
    public struct Closings: Sendable {
        public private(set) var deposits: [Closing?] = []

        public init() {}

        /// One line of the file, without its `\n`.
        public mutating func scan(_ line: ArraySlice<UInt8>) {
            guard line.count >= 50, line[line.startIndex] == UInt8(ascii: "1"), line[line.startIndex + 1] == UInt8(ascii: "5") else { return }
            let record = Record(bytes: line, line: 0, file: "")
            guard let date = CalendarDate(compact: record.text(38, 45)), let serial = try? record.digits(46, 50, "deposit serial number") else {
                deposits.append(nil)
                return
            }
            deposits.append(Closing(date: date, serial: serial))
        }
    }
}

/// One 80-column record, read by Bankgirot's 1-based, inclusive positions.
private struct Record {
    let bytes: ArraySlice<UInt8>
    let line: Int
    let file: String

    /// Positions `from` to `to`, decoded as ISO-8859-1 (every byte is its own code point).
    func text(_ from: Int, _ to: Int) -> String {
        let start = bytes.startIndex + from - 1
        let slice = bytes[start..<min(start + to - from + 1, bytes.endIndex)]
        // Most fields are ASCII, where ISO-8859-1 and UTF-8 agree byte for byte.
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        var text = ""
        text.unicodeScalars.append(contentsOf: slice.map { Unicode.Scalar($0) })
        return text
    }

    /// The byte at position `at` (the record is 80 bytes long by then).
    func byte(_ at: Int) -> UInt8 { bytes[bytes.startIndex + at - 1] }

    /// The record type (columns 1–2) as a number, without making a string.
    var type: Int {
        guard bytes.count >= 2 else { return -1 }
        let first = bytes[bytes.startIndex], second = bytes[bytes.startIndex + 1]
        guard (0x30...0x39).contains(first), (0x30...0x39).contains(second) else { return -1 }
        return Int(first - 0x30) * 10 + Int(second - 0x30)
    }

    /// Positions `from` to `to` without the spaces around them.
    func trimmed(_ from: Int, _ to: Int) -> String {
        var first = bytes.startIndex + from - 1
        var last = min(bytes.startIndex + to, bytes.endIndex)
        while first < last, bytes[first] == 0x20 { first += 1 }
        while last > first, bytes[last - 1] == 0x20 { last -= 1 }
        guard first < last else { return "" }
        return text(first - bytes.startIndex + 1, last - bytes.startIndex)
    }

    func digits(_ from: Int, _ to: Int, _ what: String) throws(PaymentFileError) -> String {
        let value = text(from, to)
        guard value.isASCIIDigits else { throw error("\(what) \(Quote.excerpt(value)) is not digits", column: from) }
        return value
    }

    func number(_ from: Int, _ to: Int, _ what: String) throws(PaymentFileError) -> Int {
        let start = bytes.startIndex + from - 1
        let end = min(start + to - from + 1, bytes.endIndex)
        var number = 0
        for byte in bytes[start..<end] {
            guard (0x30...0x39).contains(byte) else { throw error("\(what) \(Quote.excerpt(text(from, to))) is not digits", column: from) }
            number = number * 10 + Int(byte - 0x30)
            guard number <= IncomingPayment.limit.ore else { throw error("\(what) \(text(from, to)) is beyond what Sublet accepts", column: from) }
        }
        return number
    }

    func error(_ reason: String, column: Int? = nil) -> PaymentFileError {
        PaymentFileError(file: file, line: line, column: column, reason: reason)
    }
}

extension CalendarDate {
    /// A date written `YYYYMMDD`.
    public init?(compact text: String) {
        guard text.count == 8, text.isASCIIDigits else { return nil }
        let digits = Array(text.utf8).map { Int($0 - 48) }
        let year = digits[0...3].reduce(0) { $0 * 10 + $1 }
        let month = digits[4] * 10 + digits[5]
        let day = digits[6] * 10 + digits[7]
        self.init(year: year, month: month, day: day)
    }
}
