import Foundation
import Testing

@testable import SubletCLI

/// Issue #10: long work shows a bar with a count, a percentage and the time left on a terminal,
/// and nothing extra when piped.
@Suite struct ProgressTests {
    @Test(
        arguments: [
            (0, 100, 0.0, nil, "Work [------------------------] 0/100 0 %"),
            (50, 100, 0.5, nil, "Work [############------------] 50/100 50 %"),
            (50, 100, 10.0, nil, "Work [############------------] 50/100 50 % 0:10 left"),
            (41_000, 86_000, 30.0, nil, "Work [###########-------------] 41 000/86 000 47 % 0:33 left"),
            (86_000, 86_000, 30.0, nil, "Work [########################] 86 000/86 000 100 %"),
            (30, 60, 125.0, "1 234 payments", "Work [############------------] 1 234 payments 50 % 2:05 left"),
            (7, 0, 3.0, nil, "Work: 7"),
        ] as [(Int, Int, Double, String?, String)])
    func theLineSaysHowFarAndHowLong(done: Int, total: Int, elapsed: Double, count: String?, line: String) {
        #expect(ProgressBar.line(label: "Work", done: done, total: total, elapsed: elapsed, count: count) == line)
    }

    @Test func aBarOnATerminalAndNothingWhenPiped() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let terminal = try workspace.run(["notices", "run", "--period", "2027-01"], environment: ["TEST_TERMINAL": "1"])
        #expect(terminal.status == 0)
        #expect(terminal.stderr.contains("\rIssuing notices ["), "\(terminal.stderr)")
        #expect(terminal.stderr.contains("100 %"))
        #expect(terminal.stderr.hasSuffix("\n"))
        let export = try workspace.run(["notices", "export", "--period", "2027-01", "-o", "print"], environment: ["TEST_TERMINAL": "1"])
        #expect(export.stderr.contains("Exporting notices [########################] 2/2 100 %"), "\(export.stderr)")
        let piped = try workspace.run(["notices", "export", "--period", "2027-01", "-o", "print"])
        #expect(piped.stderr.isEmpty)
        let quiet = try workspace.run(["notices", "export", "--period", "2027-01", "-o", "print", "-q"], environment: ["TEST_TERMINAL": "1"])
        #expect(quiet.stderr.isEmpty)
        #expect(try workspace.run(["notices", "run", "--period", "2027-02"]).stderr.isEmpty)
    }

    @Test func paymentImportCountsPaymentsAgainstTheFile() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run", "--period", "2027-01")
        let file = workspace.path + "/pay.xml"
        try PaymentFiles.camt([.init(reference: "A1", amount: "100.00", ocr: "10000000116")]).write(
            toFile: file, atomically: true, encoding: .utf8)
        let result = try workspace.run(["payments", "import", file], environment: ["TEST_TERMINAL": "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Importing pay.xml ["), "\(result.stderr)")
        #expect(result.stderr.contains("1 payments 100 %"), "\(result.stderr)")
    }
}
