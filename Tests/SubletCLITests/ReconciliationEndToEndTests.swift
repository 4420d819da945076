import Foundation
import Testing

/// Landlords' invoices through the binaries: `sublet invoices ingest`, `reconcile`, `reports
/// build`, and the daemon `subletd` watching an inbox.
@Suite struct ReconciliationEndToEndTests {
    /// A register with landlord 556900-1232, the fixture's head leases, and Skarpnäck subscribing from January 2025.
    static func workspace(extraConfig: String = "") throws -> CLI.Workspace {
        let workspace = CLI.Workspace(extraConfig: extraConfig)
        workspace.today = "2025-05-20"
        try workspace.ok("init")
        try workspace.ok("district", "add", "SK", "--name", "Skarpnäck")
        try workspace.ok("district", "add", "RK", "--name", "Rinkeby-Kista")
        try workspace.ok("landlord", "add", "556900-1232", "--name", "Exempelbostäder i Exempelstad AB", "--bankgiro", "5599-0006")
        let imported = try workspace.ok("lease", "import", CLI.fixture("leases.csv"), "--json").json() as? [String: Any]
        #expect(imported?["imported"] as? Int == 4)
        try workspace.ok("district", "set", "SK", "--reconciliation", "on", "--from", "2025-01")
        return workspace
    }

    @Test func ingestStoresEveryGoodFileAndNamesTheRejectedOne() throws {
        let workspace = try Self.workspace()
        let before = try workspace.snapshot()
        let result = try workspace.run([
            "invoices", "ingest", CLI.fixture("rent-invoice.xml"), CLI.fixture("hostile-billion-laughs.xml"),
            CLI.fixture("rent-creditnote.xml"), "--json",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("1 of 3 file(s) rejected"))
        #expect(result.stderr.contains("hostile-billion-laughs.xml:2:1: refused: a DOCTYPE"))
        let files = try #require(try result.json() as? [[String: Any]])
        #expect(files.map { $0["status"] as? String } == ["ingested", "rejected", "ingested"])
        #expect(try workspace.snapshot() != before)
        let invoices = try workspace.ok("invoices", "list", "--json").json() as? [[String: Any]]
        #expect(invoices?.compactMap { $0["number"] as? String }.sorted() == ["HY-2025-0415", "KR-2025-0031"])

        // The same file again: a no-op. The same invoice in another file: a duplicate, never counted.
        let again = try workspace.ok("invoices", "ingest", CLI.fixture("rent-invoice.xml"))
        #expect(again.stdout.contains("taken in before; nothing to do"))
        let copy = workspace.path + "/copy-of-invoice.xml"
        try (try String(contentsOfFile: CLI.fixture("rent-invoice.xml"), encoding: .utf8) + "<!-- resent -->\n").write(
            toFile: copy, atomically: true, encoding: .utf8)
        let duplicate = try workspace.ok("invoices", "ingest", copy, "--json").json() as? [[String: Any]]
        #expect(duplicate?.first?["duplicates"] as? Int == 1)
        let shown = try workspace.ok("invoices", "show", "3", "--json").json() as? [String: Any]
        #expect(shown?["duplicate_of"] as? Int == 1)
        #expect((shown?["findings"] as? [[String: Any]])?.first?["kind"] as? String == "duplicate_invoice")

        let reconcile = try workspace.ok("reconcile", "--period", "2025-04", "--json").json() as? [String: Any]
        let rows = try #require(reconcile?["leases"] as? [[String: Any]])
        let byLease = Dictionary(uniqueKeysWithValues: rows.map { ($0["lease"] as! String, $0) })
        // TL-0042: 8 450 less the 1 408,35 reduction; TL-0057: 16 days at 260 less 5 days credited; TL-0063: nothing came.
        #expect(byLease["TL-0042"]?["invoiced"] as? String == "7041.65")
        #expect(byLease["TL-0042"]?["status"] as? String == "underbilled")
        #expect(byLease["TL-0057"]?["invoiced"] as? String == "2860.00")
        #expect(byLease["TL-0057"]?["invoices"] as? [String] == ["HY-2025-0415", "KR-2025-0031"])
        #expect(byLease["TL-0063"]?["status"] as? String == "missing")
        #expect(byLease["TL-0070"] == nil)  // ended in March, nothing invoiced for April
    }

    @Test func badRegisterInputIsRefusedWithWhereAndChangesNothing() throws {
        let workspace = try Self.workspace()
        let before = try workspace.snapshot()
        let lease = try workspace.run([
            "lease", "add", "--landlord", "556900-1233", "--object-id", "0012-1102", "--district", "SK",
            "--rent", "12,345", "--start", "2025-02-30",
        ])
        #expect(lease.status == 65)
        #expect(lease.stderr.contains("--landlord: "))
        #expect(lease.stderr.contains("--rent: "))
        #expect(lease.stderr.contains("--start: "))
        let taken = try workspace.run([
            "lease", "add", "--landlord", "556900-1232", "--object-id", "0012-1102", "--district", "SK",
            "--rent", "100", "--start", "2025-01-01",
        ])
        #expect(taken.status == 65)
        #expect(taken.stderr.contains("the landlord's object 0012-1102 already has a lease"))
        let csv = workspace.path + "/bad-leases.csv"
        try "landlord;object_id;district;rent;start_date\n556900-1232;0099-0001;SK;7000;2025-01-01\n556900-1232;0099-0002;XX;abc;2025-01-01\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try workspace.run(["lease", "import", csv])
        #expect(imported.status == 65)
        #expect(imported.stderr.contains("line 3, column 3 (district)"))
        #expect(imported.stderr.contains("line 3, column 4 (rent)"))
        let landlord = try workspace.run(["landlord", "add", "556900-1233", "--name", "Fel AB"])
        #expect(landlord.status == 65)
        #expect(try workspace.snapshot() == before)
    }

    @Test func aSubscriptionHasAHistory() throws {
        let workspace = try Self.workspace()
        try workspace.ok("district", "set", "SK", "--reconciliation", "off", "--from", "2025-07")
        let listed = try workspace.ok("district", "list")
        #expect(listed.stdout.contains("SK    Skarpnäck      on since 2025-01, off from 2025-07"))
        #expect(listed.stdout.contains("RK    Rinkeby-Kista  off\n"))
        let json = try workspace.ok("district", "list", "--json").json() as? [[String: Any]]
        let history = json?.first { $0["code"] as? String == "SK" }?["reconciliation"] as? [[String: Any]]
        #expect(history?.map { "\($0["from"]!) \($0["enabled"]!)" } == ["2025-01 1", "2025-07 0"])
        // From July on Skarpnäck gets no report; an unknown district or a bad month is refused.
        #expect(try workspace.ok("reports", "build", "--period", "2025-07").stdout.contains("SK") == false)
        let built = try workspace.ok("reports", "build", "--period", "2025-04", "--json").json() as? [[String: Any]]
        #expect(built?.first?["district"] as? String == "SK")
        #expect(built?.first?["discrepancies"] as? Int == 3)
        #expect(
            (built?.first?["files"] as? [String])?.map { URL(fileURLWithPath: $0).lastPathComponent } == [
                "avstamning-SK-2025-04.csv", "avstamning-SK-2025-04.html",
            ])
        let imported =
            try workspace.ok(
                "lease", "add", "--landlord", "556900-1232", "--object-id", "0020-0101", "--district", "RK",
                "--rent", "6 100", "--start", "2025-06-01", "--json"
            ).json() as? [String: Any]
        #expect(imported?["id"] as? String == "HL-000001")
        #expect(imported?["rent"] as? String == "6100.00")
        #expect(try workspace.run(["district", "set", "XX", "--reconciliation", "on", "--from", "2025-01"]).status == 65)
        #expect(try workspace.run(["district", "set", "SK", "--reconciliation", "on", "--from", "2025-13"]).status == 65)
    }

    @Test func reportsGoToSubscribingDistrictsOnlyWithTheirOwnLeasesAndNoPersonalNumbers() throws {
        let workspace = try Self.workspace()
        // A sublet contract in the same district: its tenant's personal number must never reach a report.
        try workspace.ok(
            "contract", "add", "--district", "SK", "--tenant", "Anna Andersson", "--personal-number", "19850312-1231",
            "--address", "Storgatan 12, lgh 1102", "--rent", "7850", "--start", "2024-01-01", "--object-id", "0012-1102")
        try workspace.ok("invoices", "ingest", CLI.fixture("rent-invoice.xml"), CLI.fixture("rent-creditnote.xml"))
        let build = try workspace.ok("reports", "build", "--period", "2025-04")
        #expect(build.stdout.contains("SK: 3 discrepancies"))
        let folder = workspace.path + "/outbox/SK/2025-04"
        let csvData = try Data(contentsOf: URL(fileURLWithPath: folder + "/avstamning-SK-2025-04.csv"))
        #expect(csvData.starts(with: [0xEF, 0xBB, 0xBF]))
        let csv = String(decoding: csvData.dropFirst(3), as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(
            lines.first
                == "Status;Statuskod;Kontrakt;Hyresvärd orgnr;Hyresvärd;Objekt;Adress;Typ;Månad;Förväntat;Fakturerat;Skillnad;Fakturor;Radtexter")
        #expect(lines.count == 4)
        #expect(
            lines.contains {
                $0.hasPrefix("Underdebiterad;underbilled;TL-0042;5569001232;Exempelbostäder i Exempelstad AB;0012-1102;")
                    && $0.contains(";träningslägenhet;2025-04;8450,00;7041,65;-1408,35;")
            })
        #expect(!csv.contains("TL-0070"))  // Rinkeby-Kista's lease
        let html = try String(contentsOfFile: folder + "/avstamning-SK-2025-04.html", encoding: .utf8)
        #expect(html.contains("Avstämning av hyresfakturor – Skarpnäck, april 2025"))
        #expect(html.contains("Faktura saknas"))
        // When it was made and from which files; identifiers kept whole; no empty note column.
        #expect(html.contains(/Sammanställd \d{4}-\d\d-\d\d \d\d:\d\d\./))
        #expect(html.contains("Underlag: <span class=\"id\">rent-invoice.xml</span> <span class=\"id\">rent-creditnote.xml</span>"), "\(html)")
        #expect(html.contains("<span class=\"id\">0012-1102</span>"))
        #expect(html.contains(".id { white-space: nowrap; }"))
        // A month with no invoice yet: no source files, and no column of line texts nobody wrote.
        try workspace.ok("reports", "build", "--period", "2025-05")
        let may = try String(contentsOfFile: workspace.path + "/outbox/SK/2025-05/avstamning-SK-2025-05.html", encoding: .utf8)
        #expect(may.contains("Faktura saknas"))
        #expect(!may.contains("Radtexter"), "\(may)")
        #expect(may.contains("Inga fakturor har kommit in för månaden."))
        for text in [csv, html] {
            #expect(text.range(of: #"\d{6,8}[-+]?\d{4}"#, options: .regularExpression).map { String(text[$0]) }.map { !$0.contains("1231") } ?? true)
            #expect(!text.contains("19850312"))
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/outbox/RK"))
        let administration = try Data(
            contentsOf: URL(fileURLWithPath: workspace.path + "/outbox/administration/2025-04/avstamning-administration-2025-04.csv"))
        #expect(administration.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(
            String(decoding: administration.dropFirst(3), as: UTF8.self).hasPrefix(
                "Type;Invoice;Seller org no;Seller;Line;Rule;Amount;Reason;Line text\r\n"))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: workspace.path + "/outbox").allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func theDaemonTakesInValidAndDuplicateFilesRejectsHostileOnesAndStopsOnSIGTERM() throws {
        let workspace = try Self.workspace(extraConfig: "[daemon]\npoll_seconds = 0.2\n")
        let notify = try NotifyListener(path: workspace.path + "/notify.sock")
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path + "/subletd")
        daemon.environment = [
            "PATH": "/usr/bin:/bin", "USER": "subletd-test", "SUBLET_CONFIG": workspace.config, "SUBLET_TODAY": "2025-05-20",
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000", "LANG": "C.UTF-8",
        ]
        daemon.currentDirectoryURL = URL(fileURLWithPath: workspace.path)
        let errors = Pipe()
        daemon.standardError = errors
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        #expect(notify.waitFor("READY=1", seconds: 20))

        let inbox = workspace.inbox
        func drop(_ text: String, as name: String) throws {
            // Writers rename files in: a half-written *.tmp is never touched.
            try text.write(toFile: inbox + "/" + name + ".tmp", atomically: false, encoding: .utf8)
            try FileManager.default.moveItem(atPath: inbox + "/" + name + ".tmp", toPath: inbox + "/" + name)
        }
        let invoice = try String(contentsOfFile: CLI.fixture("rent-invoice.xml"), encoding: .utf8)
        try drop(invoice, as: "invoice-1.xml")
        try drop(invoice + "<!-- resent -->\n", as: "invoice-1-again.xml")
        try drop(try String(contentsOfFile: CLI.fixture("hostile-billion-laughs.xml"), encoding: .utf8), as: "bomb.xml")
        try drop("<Invoice", as: "broken.xml")
        try "still being written".write(toFile: inbox + "/half.xml.tmp", atomically: false, encoding: .utf8)
        try "".write(toFile: inbox + "/.keep", atomically: false, encoding: .utf8)

        let archive = workspace.archive + "/2025/05"
        let rejected = workspace.rejected
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let archived = (try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? []
            let refused = (try? FileManager.default.contentsOfDirectory(atPath: rejected)) ?? []
            if archived.count == 2, refused.count == 4 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(Set((try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? []) == ["invoice-1.xml", "invoice-1-again.xml"])
        #expect(
            Set((try? FileManager.default.contentsOfDirectory(atPath: rejected)) ?? []) == [
                "bomb.xml", "bomb.xml.error.txt", "broken.xml", "broken.xml.error.txt",
            ])
        let reason = try String(contentsOfFile: rejected + "/bomb.xml.error.txt", encoding: .utf8)
        #expect(reason.contains("DOCTYPE"))
        #expect(try String(contentsOfFile: rejected + "/broken.xml.error.txt", encoding: .utf8).contains("not well-formed"))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: inbox)) == ["half.xml.tmp", ".keep"])
        // The reports are rebuilt once the scan has moved its files.
        #expect(Daemon.eventually { FileManager.default.fileExists(atPath: workspace.path + "/outbox/SK/2025-04/avstamning-SK-2025-04.csv") })
        #expect(notify.waitFor("WATCHDOG=1", seconds: 5))
        #expect(notify.waitFor("2 taken in, 2 rejected", seconds: 5))

        daemon.terminate()  // SIGTERM, as systemd stops it
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(daemon.terminationReason == .exit)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("Stopped files.ingested=2 files.rejected=2"))
        #expect(notify.waitFor("STOPPING=1", seconds: 5))

        let invoices = try workspace.ok("invoices", "list", "--json").json() as? [[String: Any]]
        #expect(invoices?.count == 2)
        #expect(invoices?.filter { $0["duplicate_of"] is NSNull }.count == 1)
    }
}

/// A Unix datagram socket standing in for systemd's notify socket, drained on a thread of its
/// own as systemd drains it (the queue holds only a few datagrams).
final class NotifyListener: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private var received = ""
    private var closed = false
    private let lock = NSLock()
    private let drained = DispatchGroup()

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw CocoaError(.fileWriteUnknown) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        DispatchQueue.global().async(group: drained) { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                lock.lock()
                let stop = closed
                lock.unlock()
                if stop { return }
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count > 0 {
                    lock.lock()
                    received += String(decoding: buffer[0..<count], as: UTF8.self) + "\n"
                    lock.unlock()
                }
            }
        }
    }

    deinit {
        lock.lock()
        closed = true
        lock.unlock()
        drained.wait()
        close(descriptor)
        unlink(path)
    }

    /// Whether a datagram containing `text` has come, waiting up to `seconds` for it.
    func waitFor(_ text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            lock.lock()
            let seen = received.contains(text)
            lock.unlock()
            if seen { return true }
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}

extension ReconciliationEndToEndTests {
    /// Issue #10: `reconcile --status` shows only the leases in the states named.
    @Test func reconcileShowsOnlyTheStatesAskedFor() throws {
        let workspace = try Self.workspace()
        try workspace.ok("invoices", "ingest", CLI.fixture("rent-invoice.xml"), CLI.fixture("rent-creditnote.xml"))
        func states(_ arguments: String...) throws -> [String] {
            let result = try workspace.run(["reconcile", "--period", "2025-04", "--json"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try result.json() as? [String: Any]
            return ((json?["leases"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String }.sorted()
        }
        let all = try states()
        #expect(Set(all).count > 1, "\(all)")
        #expect(try states("--status", "missing") == all.filter { $0 == "missing" })
        #expect(try states("--status", "overbilled,underbilled, missing") == all.filter { ["overbilled", "underbilled", "missing"].contains($0) })
        let text = try workspace.ok("reconcile", "--period", "2025-04", "--status", "missing").stdout
        #expect(!text.contains("underbilled  TL-"))
        let wrong = try workspace.run(["reconcile", "--status", "late"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("'late' is not a state (ok, overbilled"))
    }
}
