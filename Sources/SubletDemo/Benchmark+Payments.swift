import Foundation
import SubletApp
import SubletDomain
import SubletStorage

extension Benchmark {
    /// A register of `payments` contracts with a month's notices, and the month's payments as a
    /// camt.054 file and as a BgMax file (SyntheticPayments: 1.5 % unidentified, 3 % partial, …).
    /// Each run imports each file into a fresh copy of the register; `xmllint --stream --noout` on
    /// the camt.054 file runs beside it.
    func benchmarkPayments() throws {
        let period = Self.today.period.next
        let base = directory + "/payments-base.sqlite"
        let app = try freshApp(at: base)
        let csvPath = directory + "/payments-contracts.csv"
        try Data(SyntheticRegister().csv(count: payments, activeIn: period)).write(to: URL(fileURLWithPath: csvPath))
        _ = try app.importContracts(file: csvPath)
        _ = try app.issueNotices(for: period)
        let notices = try app.database.regularNotices(period: period)
        let synthetic = SyntheticPayments(notices: notices, today: Self.today, payeeBankgiro: app.settings.payee.bankgiro.description)
        let camtPath = directory + "/payments-\(period).xml", bgmaxPath = directory + "/payments-\(period).bgmax"
        let camtSize = try synthetic.writeCamt(to: camtPath)
        let bgmaxSize = try synthetic.writeBgMax(to: bgmaxPath)
        print(
            String(
                format: "sublet-bench: %d payments for %d notices (camt.054 %.1f MB, BgMax %.1f MB), %d run(s)", synthetic.payments.count,
                notices.count, Double(camtSize) / 1_048_576, Double(bgmaxSize) / 1_048_576, runs))
        var timings = Timings()
        for run in 1...runs {
            var line = "run \(run):"
            for (name, path) in [("camt.054 import", camtPath), ("BgMax import", bgmaxPath)] {
                let copy = directory + "/payments-run.sqlite"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
                try app.backUp(to: copy)
                // The copy's pages on disk first, as a register at rest has them: otherwise the
                // import's checkpoint would also flush the 80 MB the copy has just written.
                try FileHandle(forUpdating: URL(fileURLWithPath: copy)).synchronize()
                let runApp = try app.opening(copy, access: .readWrite)
                var result: PaymentImportResult?
                let seconds = try Stopwatch.measure { result = try runApp.importPayments(file: path) }
                timings.add(name, seconds)
                let matched = result?.outcome.byTier[.ocr] ?? 0
                line += String(format: " %@ %.3f s (%d payments, %d by OCR);", name, seconds, result?.outcome.payments ?? 0, matched)
            }
            print(line)
        }
        try timeXmllint(camtPath, into: &timings)
        timings.printMedians(["camt.054 import", "BgMax import", "xmllint --stream --noout"])
    }
}
