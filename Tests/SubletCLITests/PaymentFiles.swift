import Foundation

/// Payment files written the way the banks write them, for the tests.
enum PaymentFiles {
    struct BgMaxPayment {
        var reference: String
        var ore: Int
        var code = "2"
        var serial: Int
        var deduction = false
        var name: String? = nil
        var id: String? = nil
    }

    /// A one-deposit BgMax file to payee `payee` (10 digits, zero-padded), ISO-8859-1.
    static func bgmax(
        _ payments: [BgMaxPayment], date: String = "20261127", payee: String = "0099999997", depositSerial: String = "00001"
    )
        -> Data
    {
        func record(_ text: String) -> String { text.padding(toLength: 80, withPad: " ", startingAt: 0) }
        var records = [record("01BGMAX               0120261127120000000000P"), record("05" + payee + "          SEK")]
        var total = 0
        for payment in payments {
            let reference = String(repeating: " ", count: max(0, 25 - payment.reference.count)) + payment.reference
            records.append(
                record(
                    (payment.deduction ? "21" : "20") + "0009912346" + reference + String(format: "%018d", payment.ore) + payment.code + "1"
                        + String(format: "%012d", payment.serial) + "0"))
            if let name = payment.name { records.append(record("26" + name)) }
            if let id = payment.id { records.append(record("29" + id)) }
            total += payment.deduction ? -payment.ore : payment.ore
        }
        let payments20 = payments.filter { !$0.deduction }.count
        records.append(
            record(
                "15" + String(repeating: "0", count: 35) + date + depositSerial + String(format: "%018d", total) + "SEK"
                    + String(format: "%08d", payments.count)))
        records.append(record("70" + String(format: "%08d%08d%08d%08d", payments20, payments.count - payments20, 0, 1)))
        return (records.joined(separator: "\n") + "\n").data(using: .isoLatin1)!
    }

    struct CamtEntry {
        var reference: String
        var amount: String
        var credit = true
        var reversal = false
        var ocr: String? = nil
        var text: String? = nil
        var payer: String? = nil
        var currency = "SEK"
        var booked = "2026-11-27"
    }

    /// A camt.054.001.02 notification to the bankgiro `account`, one transaction per entry.
    static func camt(_ entries: [CamtEntry], account: String = "9999-9997", version: String = "02") -> String {
        let body = entries.map { entry in
            """
                  <Ntry>
                    <NtryRef>\(entry.reference)</NtryRef>
                    <Amt Ccy="\(entry.currency)">\(entry.amount)</Amt>
                    <CdtDbtInd>\(entry.credit ? "CRDT" : "DBIT")</CdtDbtInd>
                    \(entry.reversal ? "<RvslInd>true</RvslInd>" : "")
                    <Sts>BOOK</Sts>
                    <BookgDt><Dt>\(entry.booked)</Dt></BookgDt>
                    <ValDt><Dt>\(entry.booked)</Dt></ValDt>
                    <AcctSvcrRef>\(entry.reference)</AcctSvcrRef>
                    <BkTxCd><Prtry><Cd>BGINB</Cd></Prtry></BkTxCd>
                    <NtryDtls><TxDtls>
                      <Refs><AcctSvcrRef>\(entry.reference)-1</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
                      <AmtDtls><TxAmt><Amt Ccy="\(entry.currency)">\(entry.amount)</Amt></TxAmt></AmtDtls>
                      \(entry.payer.map { "<RltdPties><Dbtr><Nm>\($0)</Nm></Dbtr></RltdPties>" } ?? "")
                      <RmtInf>
                        \(entry.text.map { "<Ustrd>\($0)</Ustrd>" } ?? "")
                        \(entry.ocr.map { "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>\($0)</Ref></CdtrRefInf></Strd>" } ?? "")
                      </RmtInf>
                    </TxDtls></NtryDtls>
                  </Ntry>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.\(version)">
              <BkToCstmrDbtCdtNtfctn>
                <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-27T18:00:00</CreDtTm></GrpHdr>
                <Ntfctn>
                  <Id>N1</Id>
                  <CreDtTm>2026-11-27T18:00:00</CreDtTm>
                  <Acct><Id><Othr><Id>\(account)</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr></Id><Ccy>SEK</Ccy></Acct>
            \(body)
                </Ntfctn>
              </BkToCstmrDbtCdtNtfctn>
            </Document>
            """
    }
}
