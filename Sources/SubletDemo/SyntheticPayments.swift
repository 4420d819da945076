import Foundation
import SubletApp
import SubletDomain
import SubletStorage

/// A month of tenants' payments for a month's notices, as the bank reports them: most paid
/// exactly on time, about 3 % partly, 1 % overpaid, 2 % late, 1.5 % with a reference that does
/// not identify the notice (one wrong digit, two digits swapped, the notice number instead of the
/// OCR, no reference at all) and 1 % unpaid. Deterministic: the same notices give the same file.
public struct SyntheticPayments: Sendable {
    public var notices: [OwedNotice]
    /// The day the file is made: no payment is booked after it.
    public var today: CalendarDate
    public var payeeBankgiro: String

    public init(notices: [OwedNotice], today: CalendarDate, payeeBankgiro: String) {
        self.notices = notices
        self.today = today
        self.payeeBankgiro = payeeBankgiro
    }

    public enum Kind: String, Sendable, CaseIterable {
        case exact, partial, overpaid, late, wrongDigit, swapped, noticeNumber, noReference, unpaid
    }

    /// What happens to the notice at `index` (per mille: 15 unidentified, 30 partial, 10
    /// overpaid, 20 late, 10 unpaid, the rest exact).
    public static func kind(_ index: Int) -> Kind {
        switch index % 1000 {
        case 0..<4: .wrongDigit
        case 4..<8: .swapped
        case 8..<11: .noticeNumber
        case 11..<15: .noReference
        case 15..<45: .partial
        case 45..<55: .overpaid
        case 55..<75: .late
        case 75..<85: .unpaid
        default: .exact
        }
    }

    public struct Payment: Sendable {
        public var key: String
        public var amount: Money
        public var booked: CalendarDate
        public var reference: String?
        public var text: String?
        public var payer: String
    }

    public var payments: [Payment] {
        notices.enumerated().compactMap { index, notice in
            let kind = Self.kind(index)
            let onTime = min(notice.dueDate.adding(days: -1), today)
            var payment = Payment(
                key: "SUB\(notice.period)\(String(index).zeroPadded(to: 7))", amount: notice.total, booked: onTime, reference: notice.ocr, text: nil,
                payer: notice.tenant.uppercased())
            switch kind {
            case .exact: break
            case .unpaid: return nil
            case .partial: payment.amount = Money(ore: notice.total.ore / 2)
            case .overpaid: payment.amount = Money(ore: notice.total.ore + 10_000)
            case .late: payment.booked = min(notice.dueDate.adding(days: 2), today)
            case .wrongDigit:
                var digits = Array(notice.ocr)
                digits[2] = digits[2] == "9" ? "0" : Character(String((Int(String(digits[2])) ?? 0) + 1))
                payment.reference = String(digits)
            case .swapped:
                var digits = Array(notice.ocr)
                let at = digits.count - 3
                if digits[at] == digits[at + 1] { digits[at] = digits[at] == "9" ? "0" : "9" }
                digits.swapAt(at, at + 1)
                payment.reference = String(digits)
            case .noticeNumber:
                payment.reference = nil
                payment.text = "Hyra avi \(notice.notice)"
            case .noReference:
                payment.reference = nil
                payment.text = "Hyra"
            }
            return payment
        }
    }

    /// Writes a camt.054.001.02 notification of every payment to `path`; returns its size.
    @discardableResult
    public func writeCamt(to path: String) throws -> Int {
        let stream = FileOutput.Stream()
        stream.append(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
              <BkToCstmrDbtCdtNtfctn>
                <GrpHdr><MsgId>SUBLET-DEMO-\(today)</MsgId><CreDtTm>\(today)T18:00:00</CreDtTm></GrpHdr>
                <Ntfctn>
                  <Id>SUBLET-DEMO-\(today)</Id>
                  <CreDtTm>\(today)T18:00:00</CreDtTm>
                  <Acct><Id><Othr><Id>\(payeeBankgiro)</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr></Id><Ccy>SEK</Ccy></Acct>

            """)
        for payment in payments {
            let amount = payment.amount.plain
            var remittance = ""
            if let text = payment.text { remittance += "<Ustrd>\(text)</Ustrd>" }
            if let reference = payment.reference {
                remittance += "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>\(reference)</Ref></CdtrRefInf></Strd>"
            }
            stream.append(
                """
                      <Ntry>
                        <Amt Ccy="SEK">\(amount)</Amt>
                        <CdtDbtInd>CRDT</CdtDbtInd>
                        <Sts>BOOK</Sts>
                        <BookgDt><Dt>\(payment.booked)</Dt></BookgDt>
                        <ValDt><Dt>\(payment.booked)</Dt></ValDt>
                        <AcctSvcrRef>\(payment.key)</AcctSvcrRef>
                        <BkTxCd><Prtry><Cd>BGINB</Cd><Issr>BGC</Issr></Prtry></BkTxCd>
                        <NtryDtls><TxDtls>
                          <Refs><AcctSvcrRef>\(payment.key)</AcctSvcrRef></Refs>
                          <AmtDtls><TxAmt><Amt Ccy="SEK">\(amount)</Amt></TxAmt></AmtDtls>
                          <RltdPties><Dbtr><Nm>\(payment.payer)</Nm></Dbtr></RltdPties>
                          <RmtInf>\(remittance)</RmtInf>
                        </TxDtls></NtryDtls>
                      </Ntry>

                """)
        }
        stream.append("    </Ntfctn>\n  </BkToCstmrDbtCdtNtfctn>\n</Document>\n")
        try FileOutput.write(stream.data, to: path)
        return stream.data.count
    }

    /// Writes the payments as a BgMax file (one deposit per booking day) to `path`; returns its size.
    @discardableResult
    public func writeBgMax(to path: String) throws -> Int {
        func record(_ text: String) -> String {
            let latin = String(text.unicodeScalars.map { $0.value < 256 ? Character($0) : "?" })
            return latin.count >= 80 ? String(latin.prefix(80)) : latin + String(repeating: " ", count: 80 - latin.count)
        }
        func number(_ value: Int, _ width: Int) -> String { String(value).zeroPadded(to: width) }
        let payee = number(Int(payeeBankgiro.filter(\.isNumber)) ?? 0, 10)
        var lines = [record("01BGMAX               01\(today.compact)120000000000P")]
        let days = Dictionary(grouping: payments, by: \.booked).sorted { $0.key < $1.key }
        var count = 0
        for (serial, (day, group)) in days.enumerated() {
            lines.append(record("05" + payee + "          SEK"))
            for payment in group {
                count += 1
                let reference = payment.reference ?? ""
                let code = payment.reference == nil ? "1" : "2"
                lines.append(
                    record(
                        "20" + "0000000000" + String(repeating: " ", count: 25 - reference.count) + reference + number(payment.amount.ore, 18) + code
                            + "1" + number(count, 12) + "0"))
                if let text = payment.text { lines.append(record("25" + text)) }
                lines.append(record("26" + payment.payer))
            }
            let total = group.reduce(0) { $0 + $1.amount.ore }
            lines.append(
                record(
                    "15" + String(repeating: "0", count: 35) + day.compact + number(serial + 1, 5) + number(total, 18) + "SEK"
                        + number(group.count, 8)))
        }
        lines.append(record("70" + number(count, 8) + number(0, 8) + number(0, 8) + number(days.count, 8)))
        let data = Data((lines.joined(separator: "\n") + "\n").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        try FileOutput.write(data, to: path)
        return data.count
    }
}

extension CalendarDate {
    /// `YYYYMMDD`.
    var compact: String { description.replacingOccurrences(of: "-", with: "") }
}
