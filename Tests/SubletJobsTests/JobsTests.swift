import Foundation
import SubletDomain
import SubletJobs
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
        let shipped = try SubletConfiguration.load(path: repositoryRoot + "/Config/sublet.toml")
        // Resolved against the repository root, the embedded defaults name the same files.
        var embedded = SubletConfiguration()
        embedded.source = shipped.source
        for keyPath in [\SubletConfiguration.databasePath, \.jobsDirectory, \.templatesDirectory, \.outboxDirectory, \.backupsDirectory,
                        \.inboxDirectory, \.archiveDirectory, \.rejectedDirectory] {
            embedded[keyPath: keyPath] = repositoryRoot + "/" + embedded[keyPath: keyPath]
        }
        #expect(shipped == embedded)
    }

    @Test func everyKnownKeyIsInTheShippedFile() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/Config/sublet.toml", encoding: .utf8)
        for key in SubletConfiguration.knownKeys {
            let leaf = String(key.split(separator: ".").last!)
            #expect(text.contains("\n\(leaf) = "), "Config/sublet.toml does not document \(key)")
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
            _ = try SubletConfiguration.parse(text, source: "test.toml", baseDirectory: "/etc/sublet")
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("test.toml")
        }
    }

    @Test func relativePathsResolveAgainstTheFilesFolder() throws {
        let configuration = try SubletConfiguration.parse("paths.database = \"data/s.sqlite\"\npaths.outbox = \"/srv/out\"\n",
                                                          source: "x", baseDirectory: "/etc/sublet")
        #expect(configuration.databasePath == "/etc/sublet/data/s.sqlite")
        #expect(configuration.outboxDirectory == "/srv/out")
    }

    @Test func aMissingFileIsAConfigurationError() {
        #expect(throws: ConfigurationError.unreadable(path: "/nonexistent/sublet.toml", reason: "no such file")) {
            try SubletConfiguration.load(path: "/nonexistent/sublet.toml")
        }
    }
}

@Suite struct TodayTests {
    @Test func theOverrideWins() throws {
        #expect(try Today.resolve(environment: ["SUBLET_TODAY": "2025-03-01"]) == CalendarDate("2025-03-01"))
        #expect(throws: ConfigurationError.self) { try Today.resolve(environment: ["SUBLET_TODAY": "1 March"]) }
    }

    @Test(arguments: [
        ("2026-06-30T22:30:00Z", "2026-07-01"),  // CEST, UTC+2
        ("2026-12-31T22:59:59Z", "2026-12-31"),  // CET, UTC+1
        ("2026-12-31T23:00:00Z", "2027-01-01"),
        ("2026-03-29T00:30:00Z", "2026-03-29"),
    ])
    func stockholmDates(instant: String, date: String) throws {
        let moment = try #require(ISO8601DateFormatter().date(from: instant))
        #expect(Today.stockholmDate(of: moment) == CalendarDate(date))
    }
}

@Suite struct JobCatalogTests {
    @Test func theShippedJobsLoad() throws {
        let catalog = try JobCatalog(directory: repositoryRoot + "/Jobs")
        let monthly = try #require(catalog.job(named: "monthly-notices"))
        #expect(monthly.run == ["notices", "run"])
        #expect(catalog.job(named: "nightly-backup")?.run == ["db", "backup", "--rotate"])
    }

    @Test(arguments: [
        ("other.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\nrun = [\"db\", \"check\"]\n", "must equal the file name"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\nrun = []\n", "'run'"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nrun = [\"db\"]\n", "'schedule'"),
        ("x.toml", "name = \"x\"\ndescription = \"d\"\nschedule = \"daily\"\nrun = [\"db\"]\nuser = \"root\"\n", "unknown key 'user'"),
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
        #expect((60...140).contains(partial))        // about 5 %
        #expect((560...780).contains(withCharges))   // about a third
        #expect(drafts.allSatisfy { $0.terms.activeRange(in: period) != nil })
        #expect(SyntheticRegister(seed: 7).csv(count: 50, activeIn: period) == SyntheticRegister(seed: 7).csv(count: 50, activeIn: period))
    }

    @Test func theExportWritesCSVJSONAndOneSwedishPagePerNotice() throws {
        let folder = TemporaryFolder()
        let database = try SubletDatabase.inMemory()
        let context = ChangeContext(actor: "t", today: CalendarDate("2026-11-26")!)
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: context)
        let input = ContractInput(district: "RK", tenantName: "Åsa <Öberg> & Co", personalNumber: "19850312-1231", address: "Kistagången 2",
                                  start: "2026-12-10", rent: "6000", charges: ["Garage=1200@25"])
        _ = try database.addContract(try ContractDraft.validate(input, today: context.today).get(), context: context)
        _ = try database.issueRegularNotices(NoticeRunRequest(period: BillingPeriod("2026-12")!, issueDate: context.today, minimumDays: 10,
                                                              basis: .actualDays, ocrLengthDigit: true, dryRun: false), context: context)
        var configuration = SubletConfiguration()
        configuration.templatesDirectory = repositoryRoot + "/Config/templates"
        let summary = try NoticeExport(configuration: configuration).export(period: BillingPeriod("2026-12")!, from: database, to: folder.path + "/out")
        #expect(summary.notices == 1)
        #expect(summary.total == Money(ore: 510_967))

        let html = try String(contentsOfFile: summary.htmlDirectory + "/2026-000001.html", encoding: .utf8)
        for text in ["Hyresavi", "december 2026", "Hyra 10–31 december 2026", "5\u{00A0}109,67", "OCR-nummer", "10000000116", "5050-1055",
                     "Förfallodag", "2026-12-07", "varav moms 25 %: 170,32", "Åsa &lt;Öberg&gt; &amp; Co"] {
            #expect(html.contains(text), "the page lacks \(text)")
        }
        #expect(!html.contains("1231"))
        #expect(!html.contains("<small></small>"))  // the exempt rent line says nothing about VAT
        #expect(FileManager.default.fileExists(atPath: summary.htmlDirectory + "/notice.css"))

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
        var configuration = SubletConfiguration()
        configuration.templatesDirectory = "/nonexistent"
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

    @Test func aContractWithoutEndDateOrObjectSaysSo() throws {
        let terms = ContractTerms(start: CalendarDate(year: 2026, month: 1, day: 1)!, rent: Money(kronor: 7000))
        let contract = Contract(number: "AH-000001", district: "RK", tenantName: "Anna Andersson",
                                personalNumber: try PersonalNumber(parsing: "19850312-1231", referenceDate: CalendarDate(year: 2026, month: 1, day: 1)!), address: "Kistagången 2", objectID: nil,
                                terms: terms, origin: .new, registeredOn: CalendarDate(year: 2026, month: 1, day: 1)!)
        let json = try JSONShape.encode(JSONShape.ContractJSON(contract, on: CalendarDate(year: 2026, month: 1, day: 1)!), pretty: false)
        #expect(json.contains(#""end_date":null"#))
        #expect(json.contains(#""object_id":null"#))
        #expect(json.contains(#""personal_number":"19850312-****""#))
    }
}
