import Foundation
import Testing

/// Retroactive corrections, fees and indicators, driven through the built binary with the
/// calendar moved along by SUBLET_TODAY.
@Suite struct CorrectionEndToEndTests {
    /// Contract AH-000001 (rent 7 850 + parking 450 from 2026-01-01, district RK) noticed January–`through`,
    /// each month's job run on the 10th of the month before.
    final class History {
        let workspace: CLI.Workspace

        init(through: Int = 7, end: String? = nil, extraConfig: String = "") throws {
            workspace = CLI.Workspace(extraConfig: extraConfig)
            try at("2025-12-01", "init")
            try at("2025-12-01", "district", "add", "RK", "--name", "Rinkeby-Kista")
            try at(
                "2025-12-01", "contract", "add", "--district", "RK", "--tenant", "Anna Andersson", "--personal-number", "19850312-1231",
                "--address", "Kistagången 2", "--rent", "7850", "--start", "2026-01-01", "--charge", "Parkering=450",
                end.map { "--end=\($0)" } ?? "--object-id=OBJ-1")
            for month in 1...through { try runJob(month: month) }
        }

        /// The monthly job for 2026-MM, run on the 10th of the month before; its JSON report.
        @discardableResult
        func runJob(month: Int) throws -> [String: Any] {
            let before = month == 1 ? "2025-12-10" : String(format: "2026-%02d-10", month - 1)
            return try json(before, "jobs", "run", "monthly-notices")
        }

        /// `sublet ARGS` on `today`, expecting success.
        @discardableResult
        func at(_ today: String, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Result {
            let result = try workspace.run(arguments, environment: ["SUBLET_TODAY": today])
            #expect(result.status == 0, "sublet \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
            return result
        }

        func json(_ today: String, _ arguments: String...) throws -> [String: Any] {
            let result = try workspace.run(arguments + ["--json"], environment: ["SUBLET_TODAY": today])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try result.json() as? [String: Any])
        }

        func notice(_ number: String) throws -> [String: Any] {
            try json("2026-12-01", "notices", "show", number)
        }
    }

    @Test func aRentIncreaseDecidedInJuneEffectiveMarchIsCorrectedOnTheAugustNotice() throws {
        let history = try History(through: 7)
        let change = try history.json("2026-06-20", "contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01")
        let correction = try #require(change["correction"] as? [String: Any])
        #expect(correction["number"] as? String == "K-2026-000001")
        #expect(correction["affected_notices"] as? Int == 5)
        #expect(correction["total"] as? String == "1250.00")
        let months = try #require(correction["months"] as? [[String: Any]])
        #expect(months.map { $0["period"] as? String } == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"])
        #expect(months.first?["billed"] as? String == "8300.00")
        #expect(months.first?["correct"] as? String == "8550.00")
        #expect(months.first?["difference"] as? String == "250.00")
        let fee = try #require(correction["fee"] as? [String: Any])
        #expect(fee["amount"] as? String == "450.00")
        #expect(fee["billing_period"] as? String == "2026-06")
        #expect(fee["waived"] as? Bool == false)

        let run = try history.runJob(month: 8)
        #expect(run["correction_lines"] as? Int == 5)
        // January's notice was issued in 2025 (2025-000001); August's is the seventh of 2026.
        let august = try history.notice("2026-000007")
        let lines = try #require(august["lines"] as? [[String: Any]])
        let corrections = lines.filter { $0["corrects_period"] != nil }
        #expect(
            corrections.map { $0["text"] as? String } == [
                "Retroaktiv justering 2026-03 (avi 2026-000002)", "Retroaktiv justering 2026-04 (avi 2026-000003)",
                "Retroaktiv justering 2026-05 (avi 2026-000004)", "Retroaktiv justering 2026-06 (avi 2026-000005)",
                "Retroaktiv justering 2026-07 (avi 2026-000006)",
            ])
        #expect(corrections.first?["corrects_notice"] as? String == "2026-000002")
        #expect(corrections.first?["amount"] as? String == "250.00")
        #expect(august["total"] as? String == "9800.00")

        let fees = try history.workspace.run(["fees", "list", "--period", "2026-06", "--json"], environment: ["SUBLET_TODAY": "2026-07-01"])
        #expect((try fees.json() as? [[String: Any]])?.map { $0["amount"] as? String } == ["450.00"])
    }

    @Test func aMoveOutReportedLateIsCreditedOnTheNextNotice() throws {
        let history = try History(through: 7)
        // Anna moves out on 15 June; the district reports it on 2 July, after July was noticed.
        let change = try history.json("2026-07-02", "contract", "end", "AH-000001", "--date", "2026-06-15")
        let correction = try #require(change["correction"] as? [String: Any])
        #expect(correction["affected_notices"] as? Int == 2)
        #expect((correction["months"] as? [[String: Any]])?.map { $0["difference"] as? String } == ["-4150.00", "-8300.00"])
        #expect(correction["fee"] is NSNull)
        // Ended, so the August run sends no regular notice: the credit is a refund.
        try history.runJob(month: 8)
        let refunds = try history.workspace.run(["refunds", "list", "--json"], environment: [:]).json() as? [[String: Any]]
        #expect(refunds?.map { $0["amount"] as? String } == ["12450.00"])
        #expect(refunds?.first?["contract"] as? String == "AH-000001")
    }

    @Test func twoNoticesAreNotBillableAndTwoCorrectionsCompose() throws {
        let history = try History(through: 7)
        let first = try history.json("2026-07-15", "contract", "change", "AH-000001", "--charge", "Parkering=500", "--from", "2026-06-01")
        #expect((first["correction"] as? [String: Any])?["affected_notices"] as? Int == 2)
        #expect((first["correction"] as? [String: Any])?["fee"] is NSNull)
        let second = try history.json("2026-07-20", "contract", "change", "AH-000001", "--charge", "Parkering=480", "--from", "2026-06-01")
        let months = try #require((second["correction"] as? [String: Any])?["months"] as? [[String: Any]])
        // The second correction compares against what the first already billed.
        #expect(months.map { $0["billed"] as? String } == ["8350.00", "8350.00"])
        #expect(months.map { $0["difference"] as? String } == ["-20.00", "-20.00"])
        try history.runJob(month: 8)
        let lines = try #require(try history.notice("2026-000007")["lines"] as? [[String: Any]])
        #expect(lines.filter { $0["corrects_period"] != nil }.map { $0["amount"] as? String } == ["30.00", "30.00"])
        let fees = try history.workspace.run(["fees", "list", "--json"], environment: [:]).json() as? [Any]
        #expect(fees?.isEmpty == true)
    }

    @Test func anEndedContractGetsACorrectionNoticeForADebitAndARefundForACredit() throws {
        let history = try History(through: 6, end: "2026-06-30")
        try history.at("2026-08-05", "contract", "change", "AH-000001", "--rent", "8000", "--from", "2026-02-01")
        let run = try history.runJob(month: 9)
        #expect(run["correction_notices"] as? Int == 1)
        let list = try history.workspace.run(["notices", "list", "--period", "2026-09", "--json"], environment: [:]).json() as? [[String: Any]]
        let notice = try #require(list?.first)
        #expect(notice["kind"] as? String == "correction")
        #expect(notice["total"] as? String == "750.00")
        #expect(notice["due_date"] as? String == "2026-09-09")

        try history.at("2026-09-01", "contract", "end", "AH-000001", "--date", "2026-05-31")
        try history.runJob(month: 10)
        let refunds = try history.workspace.run(["refunds", "list", "--json"], environment: [:]).json() as? [[String: Any]]
        // June, billed 8 000 + 450 after the first correction, is credited in full.
        #expect(refunds?.map { $0["amount"] as? String } == ["8450.00"])
    }

    @Test func aCorrectedStartDateBillsTheMonthItAdds() throws {
        let history = try History(through: 3)
        // The tenant actually moved in on 10 December 2025.
        let change = try history.json("2026-03-05", "contract", "change", "AH-000001", "--start", "2025-12-10")
        let correction = try #require(change["correction"] as? [String: Any])
        let months = try #require(correction["months"] as? [[String: Any]])
        #expect(months.map { $0["period"] as? String } == ["2025-12"])
        #expect(months.first?["notice"] is NSNull)
        #expect(months.first?["difference"] as? String == "5890.32")  // (7 850 + 450) × 22/31, line by line
        #expect(correction["affected_notices"] as? Int == 0)
        #expect((change["contract"] as? [String: Any])?["start_date"] as? String == "2025-12-10")
        try history.runJob(month: 4)
        let lines = try #require(try history.notice("2026-000003")["lines"] as? [[String: Any]])
        #expect(lines.last?["text"] as? String == "Retroaktiv justering 2025-12")
        #expect(lines.last?["amount"] as? String == "5890.32")
    }

    @Test func aWaivedFeeIsListedButNeverBilled() throws {
        let history = try History(through: 7)
        let before = try history.workspace.snapshot()
        // The waiver needs a reason: refused without one, and nothing is recorded.
        let refused = try history.workspace.run(
            ["contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01", "--no-fee"],
            environment: ["SUBLET_TODAY": "2026-06-20"])
        #expect(refused.status == 64)
        #expect(try history.workspace.snapshot() == before)
        try history.at(
            "2026-06-20", "contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01",
            "--no-fee", "--reason", "Fel hyra registrerad av administrationen")
        let fees = try history.workspace.run(["fees", "list"], environment: [:])
        #expect(fees.stdout.contains("waived: Fel hyra registrerad av administrationen"))
        let audit = try history.workspace.run(["audit", "--contract", "AH-000001"], environment: [:])
        #expect(audit.stdout.contains("fee waived: Fel hyra registrerad av administrationen"))
        try history.at("2026-07-01", "billing", "export", "--period", "2026-06", "--out", "billing.csv")
        let csv = try String(contentsOfFile: history.workspace.path + "/billing.csv", encoding: .utf8)
        #expect(!csv.contains("K-2026-000001"))
    }

    @Test func theTimeModelBillsReportedTime() throws {
        let history = try History(
            through: 7, extraConfig: "[price_list.retroactive_correction]\nmodel = \"time\"\nhourly_rate = \"600.00\"\nincrement_minutes = 15\n")
        let refused = try history.workspace.run(
            ["contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01"],
            environment: ["SUBLET_TODAY": "2026-06-20"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("--time: this correction affects 5 notices and is billed by time"))
        let change = try history.json("2026-06-20", "contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01", "--time", "50")
        let fee = try #require((change["correction"] as? [String: Any])?["fee"] as? [String: Any])
        #expect(fee["amount"] as? String == "600.00")
        #expect(fee["minutes"] as? Int == 60)
        #expect(fee["model"] as? String == "time")
    }

    @Test func aDryRunShowsTheCorrectionAndRecordsNothing() throws {
        let history = try History(through: 7)
        let before = try history.workspace.snapshot()
        let change = try history.json("2026-06-20", "contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01", "--dry-run")
        #expect(change["dry_run"] as? Bool == true)
        #expect((change["correction"] as? [String: Any])?["affected_notices"] as? Int == 5)
        #expect((change["correction"] as? [String: Any])?["number"] is NSNull)
        #expect(try history.workspace.snapshot() == before)
    }

    @Test func theBillingExportIsTheSameFileTwiceAndTheJobWritesLastMonth() throws {
        let history = try History(through: 7)
        try history.at("2026-06-20", "contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01")
        try history.at("2026-06-21", "contract", "change", "AH-000001", "--rent", "8200", "--from", "2026-03-01")
        try history.at("2026-07-01", "billing", "export", "--period", "2026-06", "--out", "a.csv")
        try history.at("2026-08-15", "billing", "export", "--period", "2026-06", "--out", "b.csv")
        let a = try Data(contentsOf: URL(fileURLWithPath: history.workspace.path + "/a.csv"))
        let b = try Data(contentsOf: URL(fileURLWithPath: history.workspace.path + "/b.csv"))
        #expect(a == b)
        #expect(a.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: a.dropFirst(3), as: UTF8.self)
        #expect(
            text.components(separatedBy: "\r\n").filter { !$0.isEmpty } == [
                "Stadsdel;Stadsdelsnamn;Kontrakt;Korrigering;Datum;Belopp;Text",
                "RK;Rinkeby-Kista;AH-000001;K-2026-000001;2026-06-20;450,00;Retroaktiv korrigering K-2026-000001, kontrakt AH-000001: hyra 8\u{00A0}100,00 kr från 2026-03-01, 5 avier (fast avgift)",
                "RK;Rinkeby-Kista;AH-000001;K-2026-000002;2026-06-21;450,00;Retroaktiv korrigering K-2026-000002, kontrakt AH-000001: hyra 8\u{00A0}200,00 kr från 2026-03-01, 5 avier (fast avgift)",
            ])
        // The districts' totals beside it, so that a plain sum over the fee file is right.
        let summary = try String(contentsOfFile: history.workspace.path + "/a-summa.csv", encoding: .utf8)
        #expect(
            summary.components(separatedBy: "\r\n").filter { !$0.isEmpty } == [
                "Stadsdel;Stadsdelsnamn;Period;Antal avgifter;Summa", "RK;Rinkeby-Kista;2026-06;2;900,00",
            ])
        // The job writes last month's file into the outbox.
        try history.at("2026-07-02", "jobs", "run", "billing-export")
        let job = try Data(contentsOf: URL(fileURLWithPath: history.workspace.path + "/outbox/billing/billing-2026-06.csv"))
        #expect(job == a)
        // A fee belongs to one month: July's file has none of June's.
        try history.at("2026-08-02", "jobs", "run", "billing-export")
        let july = try String(contentsOfFile: history.workspace.path + "/outbox/billing/billing-2026-07.csv", encoding: .utf8)
        #expect(!july.contains("K-2026-00000"))
    }

    @Test func theIndicatorsCountPerDistrictAndMonth() throws {
        let history = try History(through: 7)
        try history.at("2026-06-20", "contract", "change", "AH-000001", "--rent", "8100", "--from", "2026-03-01")
        try history.at("2026-07-02", "contract", "change", "AH-000001", "--charge", "Parkering=500", "--from", "2026-07-01")
        let report = try history.json("2026-07-15", "stats", "--tertial", "2026-T2")
        let total = try #require(report["total"] as? [String: Any])
        #expect(report["range"] as? String == "2026-T2")
        #expect(total["administered_contracts"] as? Int == 3)  // May, June, July (August not yet noticed)
        #expect(total["corrections"] as? Int == 2)  // 20 June and 2 July
        #expect(total["notices_issued"] as? Int == 2)  // issued 10 May and 10 June (for June and July)
        #expect(total["billable_corrections"] as? Int == 1)
        #expect(total["fee_revenue"] as? String == "450.00")
        let year = try history.json("2026-07-15", "stats", "--year", "2026")
        let yearTotal = try #require(year["total"] as? [String: Any])
        #expect(yearTotal["administered_contracts"] as? Int == 7)
        #expect(yearTotal["new_contracts"] as? Int == 0)  // set up in 2025
        #expect(yearTotal["notices_issued"] as? Int == 6)  // January's was issued in December 2025
        #expect(yearTotal["billable_corrections"] as? Int == 1)
        #expect(yearTotal["corrections"] as? Int == 2)
        try history.at("2026-07-15", "stats", "--year", "2026", "--format", "html", "--out", "stats.html")
        let html = try String(contentsOfFile: history.workspace.path + "/stats.html", encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(html.contains("Administrerade kontrakt per månad"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        try history.at("2026-07-15", "stats", "--period", "2026-06", "--format", "csv", "--out", "stats.csv")
        let csv = try String(contentsOfFile: history.workspace.path + "/stats.csv", encoding: .utf8)
        #expect(csv.contains("RK;Rinkeby-Kista;1;0;1;1;1;0;450,00"))
        #expect(csv.hasPrefix("Stadsdel;Namn;Administrerade kontrakt (kontraktsmånader);Nya kontrakt;"))
        #expect(csv.contains("Totalt;Alla stadsdelsförvaltningar;"))
        let table = try history.at("2026-07-15", "stats", "--period", "2026-06").stdout
        #expect(table.contains("TOTAL     All districts"), "\(table)")
        #expect(!table.contains("förvaltningar"))
    }
}
