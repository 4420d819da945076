import Foundation
import Testing

/// The register and the monthly run, driven through the built binary: a fresh database, real
/// files, real exit codes.
@Suite struct RegisterEndToEndTests {
    @Test func theVersionAndHelpAnswer() throws {
        let workspace = CLI.Workspace(binary: true)
        let version = try workspace.ok("--version")
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try workspace.ok("--help")
        for command in ["init", "district", "contract", "notices", "jobs", "db", "audit", "demo"] {
            #expect(help.stdout.contains(command))
        }
    }

    @Test func aContractFromAddToNoticeAndExport() throws {
        let workspace = CLI.Workspace(binary: true)
        try workspace.ok("init")
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.database)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try workspace.ok("district", "add", "rk", "--name", "Rinkeby-Kista")
        let districts = try workspace.ok("district", "list", "--json").json() as? [[String: Any]]
        #expect(districts?.map { $0["code"] as? String } == ["RK"])
        #expect(districts?.first?["name"] as? String == "Rinkeby-Kista")
        #expect((districts?.first?["reconciliation"] as? [Any])?.isEmpty == true)

        let added = try workspace.ok(
            "contract", "add", "--district", "RK", "--tenant", "Anna Andersson", "--personal-number", "19850312-1231",
            "--address", "Kistagången 2", "--rent", "7 850,50", "--start", "2026-01-15", "--charge", "Parkering=450")
        #expect(added.stdout == "AH-000001\n")
        let second =
            try workspace.ok(
                "contract", "add", "--district", "RK", "--tenant", "Bo Ek", "--personal-number", "850372-1238",
                "--address", "Rinkebystråket 4", "--rent", "6000", "--start", "2026-12-10", "--end", "2027-06-30",
                "--charge", "Garage=1200@25", "--object-id", "OBJ-7", "--json"
            ).json() as? [String: Any]
        #expect(second?["number"] as? String == "AH-000002")
        #expect(second?["personal_number"] as? String == "19850372-****")
        #expect(second?["rent"] as? String == "6000.00")
        #expect(second?["origin"] as? String == "new")

        // Masked everywhere but `contract show`.
        let list = try workspace.ok("contract", "list")
        #expect(list.stdout.contains("19850312-****") && !list.stdout.contains("1231"))
        let show = try workspace.ok("contract", "show", "AH-000001")
        #expect(show.stdout.contains("19850312-1231"))
        let showJSON = try workspace.ok("contract", "show", "AH-000001", "--json").json() as? [String: Any]
        #expect((showJSON?["contract"] as? [String: Any])?["personal_number"] as? String == "19850312-1231")

        // A change from a month not yet noticed is fine, and lasts until the next registered step.
        try workspace.ok("contract", "change", "AH-000001", "--rent", "8100", "--from", "2027-03-01")
        try workspace.ok("contract", "change", "AH-000001", "--rent", "8000", "--from", "2027-01-01")
        let terms = try workspace.ok("contract", "show", "AH-000001", "--json").json() as? [String: Any]
        let steps = ((terms?["contract"] as? [String: Any])?["terms"] as? [[String: Any]])?.filter { $0["component"] as? String == "Hyra" }
        #expect(steps?.map { $0["valid_from"] as? String } == ["2026-01-15", "2027-01-01", "2027-03-01"])

        let dry = try workspace.ok("notices", "run", "--dry-run", "--json").json() as? [String: Any]
        #expect(dry?["issued"] as? Int == 2)
        #expect(dry?["dry_run"] as? Bool == true)
        #expect((try workspace.ok("notices", "list", "--period", "2026-12", "--json").json() as? [Any])?.isEmpty == true)

        let run = try workspace.ok("notices", "run", "--json").json() as? [String: Any]
        #expect(run?["period"] as? String == "2026-12")
        #expect(run?["issued"] as? Int == 2)
        #expect(run?["already_issued"] as? Int == 0)
        #expect(run?["total"] as? String == "13410.17")
        let again = try workspace.ok("notices", "run")
        #expect(again.stdout.contains("Nothing to issue for 2026-12: 2 notice(s) already issued."))

        let notice = try workspace.ok("notices", "show", "2026-000002", "--json").json() as? [String: Any]
        #expect(notice?["contract"] as? String == "AH-000002")
        #expect(notice?["kind"] as? String == "regular")
        #expect(notice?["issue_date"] as? String == "2026-11-26")
        #expect(notice?["due_date"] as? String == "2026-12-07")
        #expect(notice?["ocr"] as? String == "10000000215")
        #expect(notice?["total"] as? String == "5109.67")
        let lines = notice?["lines"] as? [[String: Any]]
        #expect(lines?.map { $0["text"] as? String } == ["Hyra 10–31 december 2026", "Garage 10–31 december 2026"])
        #expect(lines?.map { $0["amount"] as? String } == ["4258.06", "851.61"])

        let export = try workspace.ok("notices", "export", "--period", "2026-12", "--out", "print")
        #expect(export.stdout.contains("Exported 2 notice(s)"))
        for file in ["print/notices-2026-12.csv", "print/notices-2026-12.json", "print/notices-2026-12-001.html", "print/notice.css"] {
            #expect(FileManager.default.fileExists(atPath: workspace.path + "/" + file), "\(file) missing")
        }

        let audit = try workspace.ok("audit", "--contract", "AH-000001", "--json").json() as? [[String: Any]]
        #expect(audit?.map { $0["action"] as? String } == ["contract.add", "contract.change", "contract.change"])
        #expect(audit?.allSatisfy { $0["actor"] as? String == "tester" } == true)
        let actor = try workspace.run(["contract", "end", "AH-000002", "--date", "2027-05-31", "--actor", "lisa"])
        #expect(actor.status == 0)
        let lastEntry = (try workspace.ok("audit", "--json").json() as? [[String: Any]])?.last
        #expect(lastEntry?["actor"] as? String == "lisa (os user tester)")
        #expect(lastEntry?["action"] as? String == "contract.end")
        #expect((lastEntry?["after"] as? [String: Any])?["end_date"] as? String == "2027-05-31")
    }

    @Test func importsBothDialectsAndListsByDistrictAndDate() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let comma = try workspace.ok("contract", "import", CLI.fixture("contracts-comma.csv"), "--json").json() as? [String: Any]
        #expect(comma?["imported"] as? Int == 2)
        #expect(comma?["first"] as? String == "AH-000001")
        let all = try workspace.ok("contract", "list", "--json").json() as? [[String: Any]]
        #expect(all?.count == 5)
        let first = all?.first { $0["number"] as? String == "L-0001" }
        #expect(first?["address"] as? String == "Kistagången 2; lgh 1102")
        #expect(first?["rent"] as? String == "7850.50")
        #expect(first?["origin"] as? String == "migrated")
        let asa = all?.first { $0["number"] as? String == "L-0003" }
        #expect(asa?["tenant_name"] as? String == "Åsa \"Åsa\" Öberg")
        let sodermalm = try workspace.ok("contract", "list", "--district", "sm", "--json").json() as? [[String: Any]]
        #expect(Set(sodermalm?.compactMap { $0["number"] as? String } ?? []) == ["L-0003", "AH-000002"])
        let active = try workspace.ok("contract", "list", "--active-on", "2026-12-20", "--json").json() as? [[String: Any]]
        #expect(active?.compactMap { $0["number"] as? String }.contains("L-0003") == false)
        #expect(active?.count == 4)
    }

    @Test func aBadImportListsEveryBadRowAndImportsNothing() throws {
        let workspace = CLI.Workspace(binary: true)
        try workspace.seeded()
        let before = try workspace.snapshot()
        let result = try workspace.run(["contract", "import", CLI.fixture("contracts-bad.csv")])
        #expect(result.status == 65)
        let expected = [
            "line 3, column 2 (district): district XX does not exist",
            "line 3, column 4 (personal_number): '19850312-****' has a wrong check digit",
            "line 4, column 3 (tenant_name): a tenant name is required",
            "line 4, column 7 (start_date): '2026-02-30' is not a date",
            "line 4, column 9 (rent): '5200,001' has more than two decimals",
            "line 5, column 8 (end_date): end date 2026-01-01 is before the start date 2026-06-01",
            "line 5, column 10 (charges): 'Parkering' is not a charge",
            "line 5, column 1 (contract_number): contract number L-0101 already appears on line 2",
            "line 6: expected 10 fields as in the header, found 9",
        ]
        for line in expected { #expect(result.stderr.contains(line), "missing: \(line)\n\(result.stderr)") }
        #expect(!result.stderr.contains("1232"))
        #expect(try workspace.snapshot() == before)
    }

    @Test func jobsRunWhatTheirFilesDeclare() throws {
        let workspace = CLI.Workspace(extraConfig: "[backup]\nkeep = 2\n", binary: true)
        try workspace.seeded()
        let jobs = try workspace.ok("jobs", "list", "--json").json() as? [[String: Any]]
        #expect(
            jobs?.compactMap { $0["name"] as? String } == [
                "billing-export", "monthly-notices", "nightly-backup", "payment-reminders", "reconciliation-reports",
            ])
        let monthly = try workspace.ok("jobs", "run", "monthly-notices", "--json")
        #expect((try monthly.json() as? [String: Any])?["issued"] as? Int == 3)
        #expect(monthly.stderr.contains("sublet: Job started job.name=monthly-notices job.task=issue-notices"))
        #expect(monthly.stderr.contains("sublet: Job finished"))
        // Under systemd the lines carry journald priorities.
        let journaled = try workspace.run(["jobs", "run", "monthly-notices"], environment: ["JOURNAL_STREAM": "8:1234"])
        #expect(journaled.stderr.hasPrefix("<5>sublet: Job started"))
        for _ in 0..<3 {
            try workspace.ok("jobs", "run", "nightly-backup")
            Thread.sleep(forTimeInterval: 1.05)  // backups are named by the second
        }
        let backups = try FileManager.default.contentsOfDirectory(atPath: workspace.path + "/backups")
        #expect(backups.count == 2)
        let unknown = try workspace.run(["jobs", "run", "weekly-nothing"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("no job named 'weekly-nothing'"))
    }

    @Test func backupAndCheck() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")
        try workspace.ok("db", "backup", "--out", "copy.sqlite")
        let check = try workspace.ok("db", "check", "--db", "copy.sqlite", "--json").json() as? [String: Any]
        #expect(check?["healthy"] as? Bool == true)
        let copied = try workspace.ok("notices", "list", "--period", "2026-12", "--db", "copy.sqlite", "--json").json() as? [Any]
        #expect(copied?.count == 3)
    }

    /// A deployed binary carries its defaults: from an empty folder, with no configuration file,
    /// every command finds its templates and jobs.
    @Test func theBinaryWorksFromAnEmptyFolderWithNoConfiguration() throws {
        let folder = NSTemporaryDirectory() + "sublet-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = ["PATH": "/usr/bin:/bin", "USER": "tester", "SUBLET_TODAY": "2026-11-26", "LANG": "C.UTF-8"]
        func sublet(_ arguments: String...) throws -> CLI.Result {
            let result = try CLI.run(arguments, environment: environment, directory: folder)
            #expect(result.status == 0, "sublet \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        _ = try sublet("demo", "--contracts", "40", "--invoices", "20", "--dir", "demo")
        _ = try sublet("reports", "build", "--period", "2026-11", "--db", "demo/sublet.sqlite")
        _ = try sublet("notices", "export", "--period", "2026-12", "--out", "print", "--db", "demo/sublet.sqlite")
        _ = try sublet("stats", "--format", "html", "--out", "stats.html", "--db", "demo/sublet.sqlite")
        let jobs = try sublet("jobs", "list", "--json").json() as? [[String: Any]]
        #expect(jobs?.count == 5)
        for file in ["outbox/RK/2026-11/avstamning-RK-2026-11.html", "print/notice.css", "print/notices-2026-12-001.html", "stats.html"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file) missing")
        }
    }

    @Test func theDatabaseIsFoundByFlagEnvironmentThenConfiguration() throws {
        let workspace = CLI.Workspace(binary: true)
        try workspace.ok("init")
        try workspace.run(["init"], environment: ["SUBLET_DB": "from-env.sqlite"])
        try workspace.run(["init", "--db", "from-flag.sqlite"], environment: ["SUBLET_DB": "from-env.sqlite"])
        for file in ["db/sublet.sqlite", "from-env.sqlite", "from-flag.sqlite"] {
            #expect(FileManager.default.fileExists(atPath: workspace.path + "/" + file))
        }
        let again = try workspace.ok("init", "--json").json() as? [String: Any]
        #expect(again?["outcome"] as? String == "up_to_date")
    }

    @Test func theDemoBuildsARegisterAndExportsIt() throws {
        let workspace = CLI.Workspace()
        let result = try workspace.ok("demo", "--contracts", "300", "--invoices", "300", "--dir", "demo", "--json")
        let report = try result.json() as? [String: Any]
        #expect(report?["period"] as? String == "2026-12")
        let phases = report?["phases"] as? [[String: Any]]
        #expect(
            phases?.map { $0["name"] as? String } == [
                "create database", "add districts", "generate legacy export", "import contracts",
                "earlier months", "monthly notices", "print-house export", "retroactive changes",
                "next run (dry run)", "billing and indicators", "generate payment files", "import BgMax", "import camt.054",
                "queue, debts, watch", "landlords and leases",
                "generate invoice feed", "ingest invoices", "reconciliation reports", "portal accounts",
            ])
        let corrections = try workspace.ok("corrections", "list", "--db", "demo/sublet.sqlite", "--json").json() as? [[String: Any]]
        #expect(corrections?.count == 7)
        #expect(corrections?.filter { ($0["fee"] as? [String: Any])?["waived"] as? Bool == false }.count == 3)
        let payments = try workspace.ok("payments", "list", "--db", "demo/sublet.sqlite", "--json").json() as? [[String: Any]]
        #expect((payments?.count ?? 0) > 500, "two months of payments for 300 contracts")
        #expect(payments?.contains { $0["state"] as? String == "unidentified" } == true)
        for file in ["demo/billing-2026-11.csv", "demo/stats-2026.html", "demo/payments-2026-11.xml", "demo/bgmax-2026-10.txt", "demo/portal.toml"] {
            #expect(FileManager.default.fileExists(atPath: workspace.path + "/" + file), "\(file) missing")
        }
        let list = try workspace.ok("notices", "list", "--period", "2026-12", "--db", "demo/sublet.sqlite", "--json").json() as? [Any]
        #expect(list?.count == 300)
        // 300 A4 pages in one printable file.
        let printable = try String(contentsOfFile: workspace.path + "/demo/export/notices-2026-12-001.html", encoding: .utf8)
        #expect(printable.components(separatedBy: "<article class=\"avi\">").count - 1 == 300)
        #expect(printable.contains("DEMO: fiktiv betalningsmottagare"))
        #expect(printable.contains("9999-9997") && !printable.contains("5050-1055"))

        // A month of landlords' invoices: one per lease but the three that get none, reconciled for the subscribing districts.
        let invoices = try workspace.ok("invoices", "list", "--period", "2026-11", "--db", "demo/sublet.sqlite", "--json").json() as? [Any]
        #expect(invoices?.count == 300)
        let reconcile = try workspace.ok("reconcile", "--period", "2026-11", "--db", "demo/sublet.sqlite", "--json").json() as? [String: Any]
        let statuses = (reconcile?["leases"] as? [[String: Any]])?.compactMap { $0["status"] as? String } ?? []
        #expect(statuses.count == 303)
        #expect(statuses.filter { $0 == "missing" }.count == 3)
        #expect(statuses.filter { $0 == "overbilled" }.count == 3)  // invoices 13, 113, 213
        #expect(statuses.filter { $0 == "underbilled" }.count == 8)  // 6 old rents (7, 57, …) and 2 lines for an unknown object (21, 221)
        #expect((reconcile?["unmatched_lines"] as? [Any])?.count == 2)
        let findings = (reconcile?["findings"] as? [[String: Any]])?.map { "\($0["invoice"] ?? "") \($0["rule"] ?? "")" }
        #expect(findings == ["202611-000004 PEPPOL-EN16931-R120"])  // a line whose net is not quantity × price
        let outbox = try FileManager.default.subpathsOfDirectory(atPath: workspace.path + "/demo/outbox")
        for district in ["RK", "ST", "SK", "FA", "SH"] {
            #expect(outbox.contains("\(district)/2026-11/avstamning-\(district)-2026-11.html"), "no report for \(district)")
        }
        #expect(outbox.contains("administration/2026-11/avstamning-administration-2026-11.csv"))
        #expect(!outbox.contains { $0.hasPrefix("KH/") })  // Kungsholmen does not buy the service
    }
}
