import Foundation
import SubletApp
import SubletDomain
import SubletStorage
import Testing

/// Issue #10: the print house gets a few A4 files, a page per notice, not 86,000 files.
@Suite struct PrintExportTests {
    @Test func batchesHoldAPagePerNoticeAndReplaceTheMonthsEarlierOnes() throws {
        let folder = TemporaryFolder()
        let database = try SubletDatabase.inMemory()
        let context = ChangeContext(actor: "t", today: CalendarDate("2026-11-26")!)
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: context)
        for (index, object) in ["OBJ-1", nil, "OBJ-3"].enumerated() {
            let input = ContractInput(
                district: "RK", tenantName: "Hyresgäst \(index)", personalNumber: "19850312-1231",
                address: "Kistagången \(index + 1), lgh 1102, 164 40 Stockholm", objectID: object, start: "2026-12-01", rent: "6000")
            _ = try database.addContract(try ContractDraft.validate(input, today: context.today).get(), context: context)
        }
        _ = try database.issueRegularNotices(
            NoticeRunRequest(
                period: BillingPeriod("2026-12")!, issueDate: context.today, minimumDays: 10, basis: .actualDays, ocrLengthDigit: true,
                dryRun: false), context: context)
        let export = NoticeExport(configuration: Settings())
        let out = folder.path + "/out"
        // An earlier export of the month with more batches: its extra file must go.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "old".write(toFile: out + "/notices-2026-12-009.html", atomically: true, encoding: .utf8)
        var heard: [Int] = []
        let summary = try export.export(period: BillingPeriod("2026-12")!, from: database, to: out, batchSize: 2) { heard.append($0) }
        #expect(summary.notices == 3)
        #expect(summary.htmlDirectory == nil)
        #expect(summary.batchFiles == [out + "/notices-2026-12-001.html", out + "/notices-2026-12-002.html"])
        #expect(heard.last == 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["notice.css", "notices-2026-12-001.html", "notices-2026-12-002.html", "notices-2026-12.csv", "notices-2026-12.json"])
        let first = try String(contentsOfFile: summary.batchFiles[0], encoding: .utf8)
        let second = try String(contentsOfFile: summary.batchFiles[1], encoding: .utf8)
        #expect(first.components(separatedBy: "<article class=\"avi\">").count - 1 == 2)
        #expect(second.components(separatedBy: "<article class=\"avi\">").count - 1 == 1)
        #expect(first.hasPrefix("<!DOCTYPE html>") && first.contains("<link rel=\"stylesheet\" href=\"notice.css\">"))
        // The envelope's lines, and the object row only where there is an object id.
        #expect(first.contains("<div>Kistagången 1</div><div>lgh 1102</div><div>164 40 Stockholm</div>"))
        #expect(first.components(separatedBy: "<dt>Objekt</dt>").count - 1 == 1)
        #expect(second.contains("<dt>Objekt</dt><dd>OBJ-3</dd>"))
        let css = try String(contentsOfFile: out + "/notice.css", encoding: .utf8)
        #expect(css.contains("@page { size: A4;"))
        #expect(css.contains("break-after: page"))
        #expect(css.contains("table.lines .amount { text-align: right;"))
    }
}
