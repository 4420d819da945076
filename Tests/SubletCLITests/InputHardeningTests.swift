import Foundation
import SubletDomain
import Testing

/// Issue #7, through the built binary: bad input gets a clear, located error with the documented
/// exit code and changes nothing; what comes from outside is masked and neutralised on its way out.
@Suite struct InputHardeningTests {
    static let invoice = try! String(contentsOfFile: CLI.fixture("rent-invoice.xml"), encoding: .utf8)

    @Test func contractAmountsBeyondTheBoundsAreLocatedRejections() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let before = try workspace.snapshot()
        // The reported case: 10,000 charges of 9,999,999,999,999.99 kr.
        let charges = (1...10_000).map { "Avgift \($0)=9999999999999,99" }.joined(separator: "|")
        let csv = workspace.path + "/huge.csv"
        try "district;tenant_name;personal_number;address;start_date;rent;charges\nRK;Anna;19850312-1231;Gatan 1;2026-01-01;1000000,01;\(charges)\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try workspace.run(["contract", "import", csv])
        #expect(imported.status == 65)
        #expect(imported.stderr.contains("line 2, column 6 (rent): '1000000,01' is more than 1 000 000,00 kr"))
        #expect(imported.stderr.contains("line 2, column 7 (charges): 10000 charges; a contract has at most 50"))
        #expect(imported.stderr.utf8.count < 20_000, "\(imported.stderr.utf8.count) bytes of errors")
        let added = try workspace.run([
            "contract", "add", "--district", "RK", "--tenant", "X", "--personal-number", "19850312-1231",
            "--address", "A", "--rent", "7000", "--start", "2026-01-01", "--charge", "P=99999999999999999,99",
        ])
        #expect(added.status == 65)
        #expect(added.stderr.contains("--charge: charge 'P': '99999999999999999,99' is more than 1 000 000,00 kr"))
        #expect(try workspace.snapshot() == before)
    }

    @Test func invoiceAmountsBeyondTheBoundAreRejectedWithTheirPlaceAndNothingIsStored() throws {
        let workspace = try ReconciliationEndToEndTests.workspace()
        let before = try workspace.snapshot()
        let huge = workspace.path + "/huge.xml"
        try Self.invoice.replacingOccurrences(of: ">8450.00</cbc:LineExtensionAmount>", with: ">99999999999999999.99</cbc:LineExtensionAmount>")
            .write(toFile: huge, atomically: true, encoding: .utf8)
        // Two lines of 50,000,000,000,000,000.00 kr: each beyond the bound, and so is their sum.
        let doubled = workspace.path + "/doubled.xml"
        try Self.invoice.replacingOccurrences(of: ">8450.00</cbc:LineExtensionAmount>", with: ">50000000000000000.00</cbc:LineExtensionAmount>")
            .replacingOccurrences(of: ">4160.00</cbc:LineExtensionAmount>", with: ">50000000000000000.00</cbc:LineExtensionAmount>")
            .write(toFile: doubled, atomically: true, encoding: .utf8)
        let result = try workspace.run(["invoices", "ingest", huge, doubled])
        #expect(result.status == 65)
        #expect(result.stderr.contains("huge.xml:125:5: line 1 LineExtensionAmount '99999999999999999.99' is beyond ±100 000 000 000"))
        #expect(result.stderr.contains("doubled.xml:155:5: line 2 LineExtensionAmount '50000000000000000.00' is beyond"))
        #expect(try workspace.snapshot() == before)
        // The month can still be reconciled and reported.
        try workspace.ok("reconcile", "--period", "2025-04")
        try workspace.ok("reports", "build", "--period", "2025-04")
    }

    @Test func filesThatCannotBeReadSayWhyWithTheDocumentedExitCode() throws {
        let workspace = try ReconciliationEndToEndTests.workspace()
        let empty = workspace.path + "/empty.xml"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let emptied = try workspace.run(["invoices", "ingest", empty])
        #expect(emptied.status == 65)
        #expect(emptied.stderr.contains("empty.xml:1:1: the file is empty (0 bytes)"))
        let missing = try workspace.run(["invoices", "ingest", workspace.path + "/nowhere.xml"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("nowhere.xml: no such file"))
        let wrong = try workspace.run(["invoices", "ingest", CLI.repositoryRoot + "/Tests/InvoiceFeedTests/Fixtures/hostile/wrong-namespace.xml"])
        #expect(wrong.status == 65)
        #expect(
            wrong.stderr.range(of: #"wrong-namespace\.xml:\d+:\d+: no PEPPOL BIS 3 Invoice"#, options: .regularExpression) != nil, "\(wrong.stderr)")
        // A FIFO named on the command line is refused at once, unopened.
        let pipe = workspace.path + "/pipe.xml"
        #expect(mkfifo(pipe, 0o644) == 0)
        let start = ContinuousClock.now
        let fifo = try workspace.run(["invoices", "ingest", pipe])
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(fifo.status == 66)
        #expect(fifo.stderr.contains("pipe.xml: not a regular file but a FIFO (named pipe)"))
    }

    @Test func personalNumbersInLandlordsTextNeverReachReportsScreensOrLogs() throws {
        let workspace = try ReconciliationEndToEndTests.workspace()
        let noted = Self.invoice
            .replacingOccurrences(of: "Lägenhet 1102, Storgatan 12, 2 rok 54 kvm", with: "Hyresgäst Anna Andersson 19850312-1231")
            .replacingOccurrences(of: "<cbc:ID>HY-2025-0415</cbc:ID>", with: "<cbc:ID>HY-8503121231</cbc:ID>")
            .replacingOccurrences(of: "<cbc:ID>TL-0063</cbc:ID>", with: "<cbc:ID>850312-1231</cbc:ID>")
        let file = workspace.path + "/noted-19850312-1231.xml"
        try noted.write(toFile: file, atomically: true, encoding: .utf8)
        try workspace.ok("invoices", "ingest", file)
        try workspace.ok("reports", "build", "--period", "2025-04")
        var texts = [
            try workspace.ok("invoices", "show", "1").stdout, try workspace.ok("invoices", "show", "1", "--json").stdout,
            try workspace.ok("invoices", "list").stdout, try workspace.ok("reconcile", "--period", "2025-04", "--json").stdout,
            try workspace.ok("reconcile", "--period", "2025-04").stdout,
        ]
        for report in try FileManager.default.subpathsOfDirectory(atPath: workspace.path + "/outbox")
        where report.hasSuffix(".csv") || report.hasSuffix(".html") {
            texts.append(try String(contentsOfFile: workspace.path + "/outbox/" + report, encoding: .utf8))
        }
        #expect(texts.contains { $0.contains("Hyresgäst Anna Andersson 19850312-****") })
        #expect(texts.contains { $0.contains("HY-850312****") })
        for text in texts { #expect(!SensitiveText.containsPersonalNumber(text), "\(text.prefix(400))") }
        // The same file again: its name is logged and echoed masked.
        let again = try workspace.run(["invoices", "ingest", file, workspace.path + "/gone-19850312-1231.xml"])
        #expect(again.stderr.contains("gone-19850312-****.xml: no such file"))
        #expect(!SensitiveText.containsPersonalNumber(again.stderr + again.stdout.replacingOccurrences(of: file, with: "")))
    }

    /// OWASP's CSV injection rule, checked with a CSV parser: no cell of any CSV Sublet writes
    /// starts a formula, while negative amounts stay numbers.
    @Test func noCellOfAnyCSVStartsAFormula() throws {
        let workspace = try ReconciliationEndToEndTests.workspace()
        try workspace.ok(
            "contract", "add", "--district", "SK", "--tenant", "=HYPERLINK(\"http://evil.example\",\"klicka\")",
            "--personal-number", "19850312-1231", "--address", "@SUM(1+1)*cmd|' /C calc'!A0", "--rent", "7000", "--start", "2025-01-01")
        let formula = Self.invoice.replacingOccurrences(of: "Lägenhet 1102, Storgatan 12, 2 rok 54 kvm", with: "=cmd|' /C calc'!A0")
            .replacingOccurrences(of: "<cbc:ID>TL-0063</cbc:ID>", with: "<cbc:ID>+1+1</cbc:ID>")
        let file = workspace.path + "/formula.xml"
        try formula.write(toFile: file, atomically: true, encoding: .utf8)
        try workspace.ok("invoices", "ingest", file)
        try workspace.ok("reports", "build", "--period", "2025-04")
        try workspace.ok("notices", "run", "--period", "2025-05")
        try workspace.ok("notices", "export", "--period", "2025-05", "--out", "print")
        var files = try FileManager.default.subpathsOfDirectory(atPath: workspace.path + "/outbox").filter { $0.hasSuffix(".csv") }.map {
            workspace.path + "/outbox/" + $0
        }
        files.append(workspace.path + "/print/notices-2025-05.csv")
        var cells = 0, neutralised = 0, negative = 0
        for path in files {
            var reader = CSVReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            while let record = try reader.next() {
                for cell in record.fields {
                    cells += 1
                    if cell.hasPrefix("'") { neutralised += 1 }
                    if cell.hasPrefix("-"), Double(cell.replacingOccurrences(of: ",", with: ".")) != nil {
                        negative += 1
                        continue
                    }
                    #expect(!["=", "+", "-", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""), "\(path): \(cell)")
                }
            }
        }
        #expect(cells > 50 && neutralised >= 3 && negative >= 1, "cells \(cells), neutralised \(neutralised), negative \(negative)")
    }

    @Test func anActorMustBePrintableAndTheOSUserIsRecordedBesideIt() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let before = try workspace.snapshot()
        let forged = try workspace.run(["district", "add", "FA", "--name", "Farsta", "--actor", "lisa\n2026-01-01T00:00:00Z  root  contract.delete"])
        #expect(forged.status == 64)
        #expect(forged.stderr.contains("--actor 'lisa\\n2026-01-01T00:00:00Z  root  contract.delete' contains a line break"))
        #expect(try workspace.snapshot() == before)
        try workspace.run(["district", "add", "FA", "--name", "Farsta", "--actor", "lisa"], environment: ["SUDO_USER": "kalle"])
        let audit = try workspace.ok("audit", "--json").json() as? [[String: Any]]
        #expect(audit?.last?["actor"] as? String == "lisa (os user kalle)")
    }

    @Test func aFiftyMegabyteBadValueIsQuotedInAFewHundredCharacters() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let csv = workspace.path + "/big.csv"
        let field = String(repeating: "A", count: 50 * 1024 * 1024)
        try ("district;tenant_name;personal_number;address;start_date;rent\nRK;Anna;19850312-1231;Gatan 1;2026-01-01;" + field + "\n")
            .write(toFile: csv, atomically: false, encoding: .utf8)
        let result = try workspace.run(["contract", "import", csv])
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 2, column 6 (rent): 'AAAA"))
        #expect(result.stderr.contains("…' (52428800 characters) is not an amount"))
        #expect(result.stderr.utf8.count < 2_000)
    }

    @Test func aLateContractIsAnnouncedAndItsMonthsShowInTheDryRun() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")  // 2026-12, today 2026-11-26
        workspace.today = "2026-12-15"
        try workspace.ok("notices", "run", "--period", "2027-01")
        let added = try workspace.ok(
            "contract", "add", "--district", "RK", "--tenant", "Sen Registrerad", "--personal-number", "19850312-1231",
            "--address", "Kista 1", "--rent", "7000", "--start", "2026-12-01")
        #expect(added.stdout == "AH-000001\n")
        #expect(added.stderr.contains("AH-000001 is active in 2 month(s) already noticed (2026-12–2027-01)"))
        workspace.today = "2027-01-10"
        let preview = try workspace.ok("notices", "run", "--dry-run", "--json").json() as? [String: Any]
        #expect(preview?["catch_up_notices"] as? Int == 2)
        let run = try workspace.ok("notices", "run")
        #expect(run.stdout.contains("Catch-up: 2 of the notices bill earlier months"))
        let december = try workspace.ok("notices", "list", "--period", "2026-12", "--contract", "AH-000001", "--json").json() as? [[String: Any]]
        #expect(december?.first?["total"] as? String == "7000.00")
        #expect(december?.first?["due_date"] as? String == "2027-01-20")
    }
}
