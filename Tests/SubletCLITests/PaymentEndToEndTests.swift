import Foundation
import Testing

/// Incoming payments through the command line: a fresh database, real files, real exit codes.
@Suite struct PaymentEndToEndTests {
    /// Two contracts (7 850 and 6 000 kr) with their December notices, due 2026-12-07.
    static func workspace(extraConfig: String = "") throws -> (CLI.Workspace, ocr: [String]) {
        let workspace = CLI.Workspace(extraConfig: extraConfig)
        try workspace.ok("init")
        try workspace.ok("district", "add", "RK", "--name", "Rinkeby-Kista")
        for (name, number, rent) in [("Anna Andersson", "19850312-1231", "7850"), ("Omar Ali", "19900101-1239", "6000")] {
            try workspace.ok(
                "contract", "add", "--district", "RK", "--tenant", name, "--personal-number", number, "--address", "Kistagången 2", "--rent", rent,
                "--start", "2026-11-01")
        }
        try workspace.ok("notices", "run")
        let notices = try #require(try workspace.ok("notices", "list", "--period", "2026-12", "--json").json() as? [[String: Any]])
        return (workspace, notices.compactMap { $0["ocr"] as? String })
    }

    func write(_ data: Data, _ name: String, in workspace: CLI.Workspace) throws -> String {
        let path = workspace.path + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func payments(_ workspace: CLI.Workspace) throws -> [[String: Any]] {
        try #require(try workspace.ok("payments", "list", "--json").json() as? [[String: Any]])
    }

    @Test func aBgMaxFileAppliesOCRPaymentsAndQueuesTheRest() throws {
        let (workspace, ocr) = try Self.workspace()
        let file = try write(
            PaymentFiles.bgmax([
                .init(reference: ocr[0], ore: 785_000, serial: 1, name: "ANNA ANDERSSON"),
                .init(reference: ocr[1], ore: 300_000, serial: 2),
                .init(reference: "99", ore: 600_000, code: "1", serial: 3, name: "Ali Omar"),
            ]), "bgmax.txt", in: workspace)
        let imported = try workspace.ok("payments", "import", file)
        #expect(imported.stdout.contains("3 payment(s) (2 ocr, 0 repaired, 1 payer, 0 unidentified)"), "\(imported.stdout)")
        let listed = try payments(workspace)
        #expect(listed.map { $0["state"] as? String } == ["applied", "applied", "unidentified"])
        #expect(listed.map { $0["tier"] as? String } == ["ocr", "ocr", "payer"])

        let ledger = try #require(try workspace.ok("ledger", "AH-000002", "--json").json() as? [[String: Any]])
        #expect(ledger.last?["balance"] as? String == "3000.00", "6 000 billed, 3 000 paid")
        let queue = try #require(try workspace.ok("payments", "unidentified", "--json").json() as? [[String: Any]])
        let suggestions = try #require(queue.first?["suggestions"] as? [[String: Any]])
        #expect(suggestions.first?["contract"] as? String == "AH-000002")
        #expect(suggestions.first?["notice"] as? String == "2026-000002")

        // By hand: the rest of Omar's rent, 3 000 of the 6 000; the other 3 000 stays credit.
        try workspace.ok("payments", "assign", "3", "--contract", "AH-000002")
        let after = try #require(try workspace.ok("ledger", "AH-000002", "--json").json() as? [[String: Any]])
        #expect(after.last?["balance"] as? String == "-3000.00", "the overpayment is credit on the contract")
        #expect(try workspace.ok("debts", "--as-of", "2026-12-31", "--json").stdout == "[\n\n]\n")
        let audit = try workspace.ok("audit").stdout
        #expect(audit.contains("payments.import") && audit.contains("payments.assign"))

        // The plan's indicator: one payment not matched by its OCR, placed in RK.
        let stats = try #require(try workspace.ok("stats", "--tertial", "2026-T3", "--json").json() as? [String: Any])
        let districts = try #require(stats["districts"] as? [[String: Any]])
        #expect((districts.first?["figures"] as? [String: Any])?["unidentified_payments"] as? Int == 1)
        #expect((stats["total"] as? [String: Any])?["unidentified_payments"] as? Int == 1)
    }

    @Test func theSameFileTwiceIsANoOpAndAPaymentInTwoFilesCountsOnce() throws {
        let (workspace, ocr) = try Self.workspace()
        let payment = PaymentFiles.BgMaxPayment(reference: ocr[0], ore: 100_000, serial: 7)
        let first = try write(PaymentFiles.bgmax([payment]), "a.txt", in: workspace)
        try workspace.ok("payments", "import", first)
        #expect(try workspace.ok("payments", "import", first).stdout.contains("imported before; nothing to do"))
        let second = try write(PaymentFiles.bgmax([payment, .init(reference: ocr[0], ore: 50_000, serial: 8)]), "b.txt", in: workspace)
        #expect(try workspace.ok("payments", "import", second).stdout.contains("1 payment(s)"))
        #expect(try payments(workspace).count == 2)
        let debts = try #require(try workspace.ok("debts", "--as-of", "2026-12-08", "--json").json() as? [[String: Any]])
        #expect(debts.map { $0["balance"] as? String } == ["6350.00", "6000.00"])
    }

    /// The longest reference a payer can type (25 digits, one of them wrong) is repaired within
    /// 25 digits; it once stopped the import on a precondition.
    @Test func aLongMistypedReferenceWaitsInTheQueue() throws {
        let (workspace, _) = try Self.workspace()
        // A valid 25-digit OCR with a length digit, 7777777777777777777777750, its first digit mistyped.
        let typed = "1777777777777777777777750"
        let file = try write(
            Data(PaymentFiles.camt([.init(reference: "L1", amount: "100.00", ocr: typed)]).utf8), "long.xml", in: workspace)
        let imported = try workspace.ok("payments", "import", file)
        #expect(imported.stdout.contains("1 payment(s) (0 ocr, 0 repaired, 0 payer, 1 unidentified)"), "\(imported.stdout)")
    }

    @Test func aCamtFileReadsCreditsSkipsDebitsAndTakesReversalsBack() throws {
        let (workspace, ocr) = try Self.workspace()
        let file = try write(
            Data(
                PaymentFiles.camt([
                    .init(reference: "R1", amount: "7850.00", ocr: ocr[0], payer: "Anna Andersson"),
                    .init(reference: "R2", amount: "120.00", credit: false),
                    .init(reference: "R3", amount: "6000.00", ocr: ocr[1]),
                    .init(reference: "R4", amount: "6000.00", credit: false, reversal: true, ocr: ocr[1]),
                    .init(reference: "R5", amount: "500.00", text: "hyra \(ocr[1].prefix(ocr[1].count - 1))x", payer: "Okänd"),
                ]).utf8), "camt.xml", in: workspace)
        let imported = try workspace.ok("payments", "import", file)
        #expect(imported.stdout.contains("camt.054, 4 payment(s) (3 ocr, 0 repaired, 0 payer, 1 unidentified)"), "\(imported.stdout)")
        #expect(imported.stdout.contains("skipped: a debit entry"))
        let listed = try payments(workspace)
        #expect(listed.map { $0["amount"] as? String } == ["7850.00", "6000.00", "-6000.00", "500.00"])
        let debts = try #require(try workspace.ok("debts", "--as-of", "2026-12-08", "--json").json() as? [[String: Any]])
        #expect(debts.map { $0["notice"] as? String } == ["2026-000002"], "the reversal took Omar's payment back")
        #expect(debts.first?["balance"] as? String == "6000.00")
    }

    struct Rejection: CustomStringConvertible, Sendable {
        var name: String
        var content: @Sendable ([String]) -> Data
        var message: String
        var description: String { name }
    }

    static let rejections: [Rejection] = [
        Rejection(
            name: "BgMax: a foreign payee", content: { PaymentFiles.bgmax([.init(reference: $0[0], ore: 100, serial: 1)], payee: "0012345678") },
            message: "bad.txt:2:3: payments to bankgiro 12345678, not the city's 99999997"),
        Rejection(
            name: "BgMax: a deposit that does not add up",
            content: {
                var text = String(decoding: PaymentFiles.bgmax([.init(reference: $0[0], ore: 100, serial: 1)]), as: UTF8.self)
                text = text.replacingOccurrences(of: "000000000000000100SEK", with: "000000000000000200SEK")
                return Data(text.utf8)
            }, message: "bad.txt:4:51: the deposit amount 2,00 kr is not its payments less deductions, 1,00 kr"),
        Rejection(
            name: "BgMax: an end record that miscounts (after its deposit was handed on)",
            content: {
                let text = String(decoding: PaymentFiles.bgmax([.init(reference: $0[0], ore: 100, serial: 1)]), as: UTF8.self)
                return Data(text.replacingOccurrences(of: "\n7000000001", with: "\n7000000002").utf8)
            }, message: "bad.txt:5:3: the end record counts 2 payment records (TK20); the file has 1"),
        Rejection(
            name: "camt: another currency",
            content: { Data(PaymentFiles.camt([.init(reference: "R1", amount: "10.00", ocr: $0[0], currency: "EUR")]).utf8) },
            message: "currency 'EUR', not SEK"),
        Rejection(
            name: "camt: not well-formed", content: { _ in Data("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"><Ntry>".utf8) },
            message: "not well-formed XML"),
        Rejection(
            name: "camt: a DOCTYPE",
            content: { _ in
                Data(
                    "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x \"y\">]>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"/>"
                        .utf8)
            }, message: "bad.txt:2:1: refused: a DOCTYPE"),
        Rejection(name: "neither format", content: { _ in Data("hello".utf8) }, message: "neither a camt.054 notification"),
    ]

    @Test(arguments: rejections)
    func aRejectedFileStoresNothing(rejection: Rejection) throws {
        let (workspace, ocr) = try Self.workspace()
        let before = try workspace.snapshot()
        let file = try write(rejection.content(ocr), "bad.txt", in: workspace)
        let result = try workspace.run(["payments", "import", file])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains(rejection.message), "\(result.stderr)")
        #expect(try workspace.snapshot() == before)
    }

    @Test func unassignAndReturnAreNewRowsAndAudited() throws {
        let (workspace, _) = try Self.workspace()
        let file = try write(PaymentFiles.bgmax([.init(reference: "123", ore: 10_000, code: "5", serial: 1)]), "q.txt", in: workspace)
        try workspace.ok("payments", "import", file)
        try workspace.ok("payments", "assign", "1", "--notice", "2026-000001")
        let refused = try workspace.run(["payments", "return", "1", "--reason", "x"])
        #expect(refused.status == 65 && refused.stderr.contains("nothing left to return"))
        try workspace.ok("payments", "unassign", "1", "--reason", "fel avi")
        try workspace.ok("payments", "return", "1", "--reason", "okänd betalare")
        let shown = try #require(try workspace.ok("payments", "show", "1", "--json").json() as? [String: Any])
        #expect(shown["state"] as? String == "returned")
        let applications = try #require(shown["applications"] as? [[String: Any]])
        #expect(applications.map { $0["amount"] as? String } == ["100.00", "-100.00", "100.00"])
        #expect(applications.map { $0["kind"] as? String } == ["notice", "notice", "return"])
        let audit = try workspace.ok("audit").stdout
        #expect(audit.contains("payments.unassign") && audit.contains("payments.return"))
    }

    @Test func theForfeitureWatchListsUnpaidNoticesAndRecordsTheNotice() throws {
        let (workspace, ocr) = try Self.workspace()
        // Due Monday 7 December: on the list from Tuesday 15 December.
        #expect(try workspace.ok("forfeiture", "list", "--date", "2026-12-14", "--json").stdout == "[\n\n]\n")
        let listed = try #require(try workspace.ok("forfeiture", "list", "--date", "2026-12-15", "--json").json() as? [[String: Any]])
        #expect(listed.map { $0["notice"] as? String } == ["2026-000001", "2026-000002"])
        #expect(!(try workspace.ok("forfeiture", "list", "--date", "2026-12-15").stdout.contains("19850312")))
        let early = try workspace.run(["forfeiture", "notify", "2026-000001", "--date", "2026-12-14"])
        #expect(early.status == 65 && early.stderr.contains("it goes on it on 2026-12-15"))
        try workspace.ok("forfeiture", "notify", "2026-000001", "--date", "2026-12-16")
        let notified = try #require(try workspace.ok("forfeiture", "list", "--date", "2026-12-16", "--json").json() as? [[String: Any]])
        #expect(notified.first?["recovery_deadline"] as? String == "2027-01-06")
        // Paid within the three weeks: off the list.
        let file = try write(PaymentFiles.bgmax([.init(reference: ocr[0], ore: 785_000, serial: 1)], date: "20261228"), "late.txt", in: workspace)
        try workspace.ok("payments", "import", file)
        let after = try #require(try workspace.ok("forfeiture", "list", "--date", "2026-12-29", "--json").json() as? [[String: Any]])
        #expect(after.map { $0["notice"] as? String } == ["2026-000002"])

        // The district's list, beside its reconciliation reports, with names but no identity numbers.
        #expect(try workspace.ok("forfeiture", "report", "--date", "2026-12-29").stdout.contains("RK: 1 notice(s)"))
        let base = workspace.path + "/outbox/RK/2026-12/forverkande-RK-2026-12-29"
        let page = try String(contentsOfFile: base + ".html", encoding: .utf8)
        #expect(page.contains("Förverkandebevakning") && page.contains("2026-000002") && page.contains("Omar Ali"))
        let csv = try String(contentsOfFile: base + ".csv", encoding: .utf8)
        #expect(csv.contains("2026-000002;AH-000002;Omar Ali"))
        for text in [page, csv] { #expect(!text.contains("19900101") && !text.contains("1239")) }
    }

    @Test func bankgirotsExampleFileIsReadWhole() throws {
        let workspace = CLI.Workspace(extraConfig: "[payee]\nbankgiro = \"991-2346\"")
        try workspace.ok("init")
        let imported = try workspace.ok("payments", "import", CLI.fixture("payments/bgmax-bankgirot-example.txt"))
        // Seven payments in two deposits; two of them share BGC serial 16 in Bankgirot's example.
        #expect(imported.stdout.contains("bgmax, 7 payment(s) (0 ocr, 0 repaired, 0 payer, 7 unidentified), 0 reported before"), "\(imported.stdout)")
        let listed = try payments(workspace)
        #expect(listed.map { $0["amount"] as? String }.prefix(3) == ["1000.00", "-500.00", "1400.00"])
        #expect(listed.allSatisfy { $0["state"] as? String == "unidentified" }, "no notice in an empty register")
        #expect(listed.contains { ($0["payer_id"] as? String) == "00550000****" })
    }
}

/// `subletd` takes payment files from its inbox, told apart from invoices by content.
@Suite struct PaymentDaemonTests {
    @Test func theDaemonImportsBothFormatsAndRejectsABadFile() throws {
        let (workspace, ocr) = try PaymentEndToEndTests.workspace(extraConfig: "[daemon]\npoll_seconds = 0.2\n")
        try FileManager.default.createDirectory(atPath: workspace.inbox, withIntermediateDirectories: true)
        try PaymentFiles.bgmax([.init(reference: ocr[0], ore: 785_000, serial: 1)]).write(to: URL(fileURLWithPath: workspace.inbox + "/inbet.dat"))
        try Data(PaymentFiles.camt([.init(reference: "R9", amount: "6000.00", ocr: ocr[1])]).utf8)
            .write(to: URL(fileURLWithPath: workspace.inbox + "/notification.xml"))
        try PaymentFiles.bgmax([.init(reference: ocr[0], ore: 1, serial: 2)], payee: "0012345678")
            .write(to: URL(fileURLWithPath: workspace.inbox + "/foreign.txt"))
        let daemon = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(daemon.waitForExit() == 0)
        #expect(Daemon.contents(workspace.archive + "/2026/11") == ["inbet.dat", "notification.xml"])
        #expect(Daemon.contents(workspace.rejected) == ["foreign.txt", "foreign.txt.error.txt"])
        let reason = try String(contentsOfFile: workspace.rejected + "/foreign.txt.error.txt", encoding: .utf8)
        #expect(reason.contains("foreign.txt:2:3: payments to bankgiro 12345678"))
        let listed = try #require(try workspace.ok("payments", "list", "--json").json() as? [[String: Any]])
        #expect(listed.map { $0["format"] as? String } == ["bgmax", "camt.054"])
        #expect(listed.allSatisfy { $0["state"] as? String == "applied" })
    }
}

@Suite struct ReminderTests {
    @Test func eachUnpaidNoticeIsRemindedOnceWithWhatIsLeft() throws {
        let (workspace, ocr) = try PaymentEndToEndTests.workspace()
        let file = workspace.path + "/part.txt"
        try PaymentFiles.bgmax([.init(reference: ocr[0], ore: 700_000, serial: 1)]).write(to: URL(fileURLWithPath: file))
        try workspace.ok("payments", "import", file)
        // Due 7 December; reminders.days_after_due = 5.
        #expect(try workspace.ok("reminders", "run", "--date", "2026-12-11").stdout == "No notice needs a reminder.\n")
        let written = try workspace.ok("reminders", "run", "--date", "2026-12-12")
        #expect(written.stdout.contains("Wrote 2 reminder(s)"))
        let folder = workspace.path + "/outbox/reminders/2026-12-12"
        let page = try String(contentsOfFile: folder + "/paminnelse-2026-000001.html", encoding: .utf8)
        #expect(page.contains("Påminnelse") && page.contains("850,00") && page.contains(ocr[0]))
        #expect(!page.contains("19850312"))
        let csv = try String(contentsOfFile: folder + "/reminders-2026-12-12.csv", encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline).count == 3)
        #expect(try workspace.ok("jobs", "run", "payment-reminders").stdout == "No notice needs a reminder.\nNo notice is on a forfeiture list.\n")
        let listed = try workspace.ok("jobs", "list").stdout
        #expect(listed.contains("payment-reminders") && listed.contains("send-reminders"))
    }
}

@Suite struct CamtVersionTests {
    /// camt.054.001.08 puts the transaction's amount in `TxDtls/Amt` and the payer in `Dbtr/Pty`.
    @Test func version08IsReadToo() throws {
        let (workspace, ocr) = try PaymentEndToEndTests.workspace()
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
              <BkToCstmrDbtCdtNtfctn>
                <GrpHdr><MsgId>M8</MsgId><CreDtTm>2026-11-27T18:00:00+01:00</CreDtTm></GrpHdr>
                <Ntfctn>
                  <Id>N8</Id>
                  <Acct><Id><Othr><Id>99999997</Id><SchmeNm><Prtry>BGNR</Prtry></SchmeNm></Othr></Id></Acct>
                  <Ntry>
                    <Amt Ccy="SEK">7850.00</Amt>
                    <CdtDbtInd>CRDT</CdtDbtInd>
                    <Sts><Cd>BOOK</Cd></Sts>
                    <BookgDt><DtTm>2026-11-27T10:15:00+01:00</DtTm></BookgDt>
                    <ValDt><Dt>2026-11-27</Dt></ValDt>
                    <AcctSvcrRef>E8-1</AcctSvcrRef>
                    <NtryDtls><TxDtls>
                      <Refs><AcctSvcrRef>T8-1</AcctSvcrRef></Refs>
                      <Amt Ccy="SEK">7850.00</Amt>
                      <CdtDbtInd>CRDT</CdtDbtInd>
                      <RltdPties><Dbtr><Pty><Nm>Anna Andersson</Nm><Id><PrvtId><Othr><Id>198503121231</Id></Othr></PrvtId></Id></Pty></Dbtr></RltdPties>
                      <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>\(ocr[0])</Ref></CdtrRefInf></Strd></RmtInf>
                    </TxDtls></NtryDtls>
                  </Ntry>
                </Ntfctn>
              </BkToCstmrDbtCdtNtfctn>
            </Document>
            """
        let path = workspace.path + "/camt08.xml"
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try workspace.ok("payments", "import", path).stdout.contains("camt.054, 1 payment(s) (1 ocr"))
        let shown = try #require(try workspace.ok("payments", "show", "1", "--json").json() as? [String: Any])
        #expect(shown["payer_name"] as? String == "Anna Andersson")
        #expect(shown["payer_id"] as? String == "19850312****", "an identity number is masked")
        #expect(shown["payment_date"] as? String == "2026-11-27")
        #expect(!(try workspace.ok("payments", "show", "1").stdout.contains("1231")))
    }
}

@Suite struct AssignToContractTests {
    @Test func moneyForAContractThatOwesNothingIsCredit() throws {
        let (workspace, ocr) = try PaymentEndToEndTests.workspace()
        let file = workspace.path + "/paid.txt"
        try PaymentFiles.bgmax([
            .init(reference: ocr[0], ore: 785_000, serial: 1), .init(reference: ocr[1], ore: 600_000, serial: 2),
            .init(reference: "1", ore: 25_000, code: "1", serial: 3),
        ]).write(to: URL(fileURLWithPath: file))
        try workspace.ok("payments", "import", file)
        let assigned = try #require(try workspace.ok("payments", "assign", "3", "--contract", "AH-000001", "--json").json() as? [String: Any])
        #expect(assigned["id"] as? Int == 3)
        #expect((assigned["applications"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["credit"])
        let ledger = try #require(try workspace.ok("ledger", "AH-000001", "--json").json() as? [[String: Any]])
        #expect(ledger.first?["status"] as? String == "paid")
        #expect(ledger.last?["balance"] as? String == "-250.00")

        // A correction is on the statement for the record; the notice that bills it carries the amount.
        try workspace.ok("contract", "change", "AH-000001", "--rent", "8000", "--from", "2026-12-01")
        let corrected = try #require(try workspace.ok("ledger", "AH-000001", "--json").json() as? [[String: Any]])
        let correction = try #require(corrected.first { $0["kind"] as? String == "correction" })
        #expect((correction["text"] as? String)?.contains("+150,00 kr") == true)
        #expect(correction["amount"] as? String == "0.00")
        #expect(corrected.last?["balance"] as? String == "-250.00")
    }
}
