import Foundation
import Logging
import SubletApp
import SubletDemo
import SubletDomain
import SubletStorage
import Testing

/// The repository root, for the shipped Config/ and Jobs/.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

final class TemporaryFolder {
    let path = NSTemporaryDirectory() + "sublet-jobs-" + UUID().uuidString
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct ConfigurationTests {
    @Test func theShippedConfigurationEqualsTheEmbeddedDefaults() throws {
        let shipped = try Settings.load(path: repositoryRoot + "/Config/sublet.toml")
        // Resolved against the repository root, the embedded defaults name the same files.
        var embedded = Settings()
        embedded.source = shipped.source
        embedded.fileKeys = Set(Settings.knownKeys).subtracting(["paths.jobs", "paths.templates"])
        for keyPath in [
            \Settings.paths.database, \.paths.outbox, \.paths.backups, \.paths.inbox, \.paths.archive, \.paths.rejected, \.portal.accounts,
        ] {
            embedded[keyPath: keyPath] = repositoryRoot + "/" + embedded[keyPath: keyPath]
        }
        #expect(shipped == embedded)
    }

    @Test func everyKnownKeyIsInTheShippedFile() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/Config/sublet.toml", encoding: .utf8)
        for key in Settings.knownKeys {
            let leaf = String(key.split(separator: ".").last!)
            // Set, or shown commented out where the default is "compiled in".
            #expect(text.contains("\n\(leaf) = ") || text.contains("\n# \(leaf) = "), "Config/sublet.toml does not document \(key)")
        }
    }

    @Test(arguments: [
        ("[notice]\nmin_dayz = 3\n", "unknown key 'notice.min_dayz'"),
        ("colour = \"blue\"\n", "unknown key 'colour'"),
        ("notice.min_days = \"ten\"\n", "bad value for 'notice.min_days': expected a whole number"),
        ("notice.min_days = 99\n", "bad value for 'notice.min_days': 99 is outside 0…60"),
        ("proration.basis = \"weekly\"\n", "bad value for 'proration.basis': 'weekly' is not a proration basis"),
        ("payee.bankgiro = \"5050-1056\"\n", "bad value for 'payee.bankgiro': '5050-1056' is not a bankgiro number: wrong check digit"),
        ("ocr.length_digit = 1\n", "bad value for 'ocr.length_digit': expected true or false"),
        ("[paths]\ndatabase = \n", "line 2"),
    ])
    func problemsNameTheKey(text: String, message: String) {
        #expect {
            _ = try Settings.parse(text, source: "test.toml", baseDirectory: "/etc/sublet")
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("test.toml")
        }
    }

    @Test func relativePathsResolveAgainstTheFilesFolder() throws {
        let configuration = try Settings.parse(
            "paths.database = \"data/s.sqlite\"\npaths.outbox = \"/srv/out\"\n",
            source: "x", baseDirectory: "/etc/sublet")
        #expect(configuration.paths.database == "/etc/sublet/data/s.sqlite")
        #expect(configuration.paths.outbox == "/srv/out")
    }

    @Test func aMissingFileIsAConfigurationError() {
        #expect(throws: ConfigurationError.unreadable(path: "/nonexistent/sublet.toml", reason: "no such file")) {
            try Settings.load(path: "/nonexistent/sublet.toml")
        }
    }
}

@Suite struct ClockTests {
    @Test func theOverrideWins() throws {
        #expect(try SystemClock(environment: ["SUBLET_TODAY": "2025-03-01"]).today == CalendarDate("2025-03-01"))
        #expect(throws: ConfigurationError.self) { try SystemClock(environment: ["SUBLET_TODAY": "1 March"]) }
    }

    @Test func aPinnedDayStaysWhileTheInstantsRun() throws {
        let app = SubletApp(
            settings: Settings(), databasePath: "x", database: nil, clock: FixedClock(today: CalendarDate("2026-03-31")!),
            actor: "t", logger: Logger(label: "test"), output: RecordedOutput())
        let pinned = app.pinningToday()
        #expect(pinned.clock.today == CalendarDate("2026-03-31"))
        #expect(pinned.clock.now == app.clock.now)
        #expect(pinned.with(clock: FixedClock(today: CalendarDate("2026-04-01")!)).clock.today == CalendarDate("2026-04-01"))
    }

    @Test(arguments: [
        ("2026-06-30T22:30:00Z", "2026-07-01"),  // CEST, UTC+2
        ("2026-12-31T22:59:59Z", "2026-12-31"),  // CET, UTC+1
        ("2026-12-31T23:00:00Z", "2027-01-01"),
        ("2026-03-29T00:30:00Z", "2026-03-29"),
    ])
    func stockholmDates(instant: String, date: String) throws {
        let moment = try #require(ISO8601DateFormatter().date(from: instant))
        #expect(SystemClock.stockholmDate(of: moment) == CalendarDate(date))
    }
}

@Suite struct JobCatalogTests {
    @Test func theShippedJobsLoad() throws {
        let catalog = try JobCatalog(directory: repositoryRoot + "/Jobs")
        let monthly = try #require(catalog.job(named: "monthly-notices"))
        #expect(monthly.task == .issueNotices)
        #expect(monthly.period == .nextMonth)
        #expect(catalog.job(named: "nightly-backup")?.task == .backUp)
        #expect(catalog.job(named: "nightly-backup")?.period == nil)
        #expect(catalog.job(named: "billing-export")?.period?.resolved(on: CalendarDate("2026-01-02")!) == BillingPeriod("2025-12"))
    }

    @Test func theCompiledInJobsAreTheShippedOnes() throws {
        let shipped = try JobCatalog(directory: repositoryRoot + "/Jobs").jobs
        let compiledIn = try JobCatalog(directory: nil).jobs
        #expect(compiledIn.map(\.name) == shipped.map(\.name))
        for (embedded, file) in zip(compiledIn, shipped) {
            #expect(embedded.task == file.task && embedded.period == file.period && embedded.schedule == file.schedule)
        }
    }

    @Test(arguments: [
        ("other.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\ntask = \"back-up\"\n", "must equal the file name"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\ntask = \"notices run\"\n", "'task'"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\ntask = \"back-up\"\n", "'schedule'"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\ntask = \"back-up\"\nuser = \"root\"\n", "unknown key 'user'"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\ntask = \"back-up\"\nperiod = \"last-month\"\n", "takes no month"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\ntask = \"bill-fees\"\nperiod = \"2026-13\"\n", "'period'"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\ntask = \"bill-fees\"\nrun = [\"db\"]\n", "unknown key 'run'"),
    ])
    func badJobFilesAreConfigurationErrors(file: String, text: String, message: String) throws {
        let folder = TemporaryFolder()
        try text.write(toFile: folder.path + "/" + file, atomically: true, encoding: .utf8)
        #expect {
            _ = try JobCatalog(directory: folder.path)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

@Suite struct ExportAndDemoTests {
    @Test func theSyntheticRegisterImportsCleanlyWithPartialMonthsAndCharges() throws {
        let period = BillingPeriod("2026-12")!
        let bytes = SyntheticRegister(seed: 7).csv(count: 2000, activeIn: period)
        var reader = try ContractImportReader(bytes: bytes, today: CalendarDate("2026-11-26")!)
        var drafts: [ContractDraft] = []
        while let row = reader.next() { drafts.append(try #require(row.draft)) }
        #expect(drafts.count == 2000)
        let partial = drafts.filter { $0.terms.activeRange(in: period) != period.firstDay...period.lastDay }.count
        let withCharges = drafts.filter { $0.terms.componentNames.count > 1 }.count
        #expect((60...140).contains(partial))  // about 5 %
        #expect((560...780).contains(withCharges))  // about a third
        #expect(drafts.allSatisfy { $0.terms.activeRange(in: period) != nil })
        #expect(SyntheticRegister(seed: 7).csv(count: 50, activeIn: period) == SyntheticRegister(seed: 7).csv(count: 50, activeIn: period))
    }

    @Test func theExportWritesCSVJSONAndOneSwedishPagePerNotice() throws {
        let folder = TemporaryFolder()
        let database = try SubletDatabase.inMemory()
        let context = ChangeContext(actor: "t", today: CalendarDate("2026-11-26")!)
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: context)
        let input = ContractInput(
            district: "RK", tenantName: "Åsa <Öberg> & Co", personalNumber: "19850312-1231", address: "Kistagången 2",
            start: "2026-12-10", rent: "6000", charges: ["Garage=1200@25"])
        _ = try database.addContract(try ContractDraft.validate(input, today: context.today).get(), context: context)
        _ = try database.issueRegularNotices(
            NoticeRunRequest(
                period: BillingPeriod("2026-12")!, issueDate: context.today, minimumDays: 10,
                basis: .actualDays, ocrLengthDigit: true, dryRun: false), context: context)
        var configuration = Settings()
        configuration.paths.templates = repositoryRoot + "/Config/templates"
        let summary = try NoticeExport(configuration: configuration).export(
            period: BillingPeriod("2026-12")!, from: database, to: folder.path + "/out", perNotice: true)
        #expect(summary.notices == 1)
        #expect(summary.total == Money(ore: 510_967))
        let htmlDirectory = try #require(summary.htmlDirectory)

        let html = try String(contentsOfFile: htmlDirectory + "/2026-000001.html", encoding: .utf8)
        for text in [
            "Hyresavi", "december 2026", "Hyra 10–31 december 2026", "5\u{00A0}109,67", "OCR-nummer", "10000000116", "5050-1055",
            "Förfallodag", "2026-12-07", "varav moms 25 %: 170,32", "Åsa &lt;Öberg&gt; &amp; Co",
        ] {
            #expect(html.contains(text), "the page lacks \(text)")
        }
        #expect(!html.contains("1231"))
        #expect(!html.contains("<small></small>"))  // the exempt rent line says nothing about VAT
        #expect(FileManager.default.fileExists(atPath: htmlDirectory + "/notice.css"))
        #expect(!html.contains("Objekt"))  // no object id, no empty row

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary.jsonPath))) as? [String: Any]
        #expect(json?["count"] as? Int == 1)
        #expect(json?["total"] as? String == "5109.67")
        let notices = json?["notices"] as? [[String: Any]]
        #expect(notices?.first?["ocr"] as? String == "10000000116")
        #expect(notices?.first?["tenant_name"] as? String == "Åsa <Öberg> & Co")
        #expect((notices?.first?["lines"] as? [[String: Any]])?.count == 2)

        let csv = try String(contentsOfFile: summary.csvPath, encoding: .utf8)
        var reader = CSVReader(bytes: Array(csv.utf8))
        let header = try #require(try reader.next())
        let row = try #require(try reader.next())
        #expect(header.fields.first == "notice_number")
        #expect(row.fields[header.fields.firstIndex(of: "total")!] == "5109.67")
        #expect(row.fields[header.fields.firstIndex(of: "lines")!] == "Hyra 10–31 december 2026=4258.06|Garage 10–31 december 2026=851.61")
        #expect(try reader.next() == nil)
        // Nothing half-written is left behind.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aMissingTemplateNamesTheSetting() throws {
        var configuration = Settings()
        configuration.paths.templates = "/nonexistent"
        #expect {
            _ = try NoticeExport(configuration: configuration).loadTemplate()
        } throws: { error in "\(error)".contains("paths.templates") }
    }

    @Test func backupRotationKeepsTheNewest() throws {
        let folder = TemporaryFolder()
        let (database, _) = try SubletDatabase.initialize(at: folder.path + "/live.sqlite")
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        var written: [String] = []
        for day in 0..<5 {
            written.append(try BackupRotation.backup(database, into: folder.path + "/backups", keep: 3, now: start + Double(day) * 86400).written)
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/backups").sorted()
        #expect(kept == written.suffix(3).map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(kept.allSatisfy { $0.hasPrefix("sublet-") && $0.hasSuffix("Z.sqlite") })
    }
}

@Suite struct JSONShapeTests {
    struct Shape: Encodable {
        @NullWhenAbsent var note: String?
        @NullWhenAbsent var count: Int?
        var name: String
    }

    @Test(arguments: [
        (Shape(note: nil, count: nil, name: "a"), #"{"count":null,"name":"a","note":null}"#),
        (Shape(note: "x", count: 3, name: "b"), #"{"count":3,"name":"b","note":"x"}"#),
    ])
    func absentValuesAreWrittenAsNull(shape: Shape, json: String) throws {
        #expect(try JSONShape.encode(shape, pretty: false) == json)
    }
}

/// `config show` prints TOML: its lines, written back as a file, give the same settings.
@Suite struct EffectiveSettingsTests {
    @Test func whatShowPrintsReadsBackAsTheSameSettings() throws {
        let text = """
            [paths]
            database = "/srv/s.sqlite"
            jobs = "/srv/jobs"
            [payee]
            name = "Stockholms \\"stad\\""
            bankgiro = "9999-9997"
            [price_list.retroactive_correction]
            model = "time"
            hourly_rate = "700.50"
            [daemon]
            poll_seconds = 2.5
            [reminders]
            fee = "60.00"
            """
        let original = try Settings.parse(text, source: "a.toml", baseDirectory: "/srv")
        let effective = original.effective(databasePath: original.paths.database)
        #expect(effective.map(\.key) == Settings.knownKeys)
        let written = effective.compactMap { setting in setting.value.map { "\(setting.key) = \($0)" } }.joined(separator: "\n")
        var reread = try Settings.parse(written, source: "a.toml", baseDirectory: "/elsewhere")
        #expect(reread.fileKeys == Set(Settings.knownKeys).subtracting(["paths.templates"]))
        reread.fileKeys = original.fileKeys
        var resolved = original  // the defaults' relative folders are where the process runs
        for keyPath in [\Settings.paths.outbox, \.paths.backups, \.paths.inbox, \.paths.archive, \.paths.rejected, \.portal.accounts] {
            resolved[keyPath: keyPath] = FileManager.default.currentDirectoryPath + "/" + resolved[keyPath: keyPath]
        }
        #expect(reread == resolved)
        #expect(effective.filter { $0.source == .file }.map(\.key).sorted() == original.fileKeys.sorted())
    }
}
