import ArgumentParser
import Foundation
import GRDB
import InvoiceFeed
import SubletDomain
import SubletJobs
import SubletStorage

/// `sublet-bench`: generates N contracts as CSV, imports them into a fresh database, runs the
/// monthly notices, and prints each phase's wall time (median of the runs) and the peak memory.
/// With `--invoices N` it also generates a landlords' feed of N five-line invoices and times its
/// ingest and reconciliation (and `xmllint --stream` on the same file, when installed); run it
/// with `--contracts 0` to see the invoice path's own peak memory.
/// Build with `-c release`; figures go to docs/performance.md.
@main
struct SubletBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sublet-bench",
        abstract: "Benchmark the contract import, the monthly notice run, and the invoice ingest and reconciliation."
    )

    @Option(help: "Number of contracts.") var contracts = 86_000
    @Option(help: "Runs (each on a fresh database); the median is reported.") var runs = 3
    @Option(help: ArgumentHelp("Scratch folder.", valueName: "dir")) var dir = NSTemporaryDirectory() + "sublet-bench"
    @Flag(help: "Also time the print-house export (HTML pages).") var export = false
    @Option(help: "Retroactive changes to time after three monthly runs (0: skip).") var corrections = 1000
    @Option(help: "Landlords' invoices (five lines each) to ingest and reconcile (0: skip).") var invoices = 0

    mutating func run() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 26)!
        let period = today.period.next
        let context = ChangeContext(actor: "bench", today: today)
        var configuration = SubletConfiguration()
        configuration.templatesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Config/templates").standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB")
        if contracts > 0 { try benchmarkContracts(today: today, period: period, context: context, configuration: configuration) }
        if invoices > 0 { try benchmarkInvoices(today: today, configuration: configuration) }
        print(String(format: "peak memory (max RSS): %.1f MB", peakMemoryMB()))
    }

    func benchmarkContracts(today: CalendarDate, period: BillingPeriod, context: ChangeContext, configuration: SubletConfiguration) throws {
        let csvPath = dir + "/contracts.csv"
        let bytes = SyntheticRegister().csv(count: contracts, activeIn: period)
        try Data(bytes).write(to: URL(fileURLWithPath: csvPath))
        print("sublet-bench: \(contracts) contracts (\(bytes.count / 1024) KiB CSV), \(runs) run(s), period \(period)")

        var timings: [String: [Double]] = [:]
        if ProcessInfo.processInfo.environment["BENCH_PARSE_ONLY"] != nil {
            let parse = try measure {
                var reader = try ContractImportReader(bytes: bytes, today: today)
                var count = 0
                while let row = reader.next() { if row.draft != nil { count += 1 } }
                precondition(count == contracts)
            }
            print(String(format: "parse+validate only: %.3f s", parse))
        }
        for run in 1...runs {
            let path = dir + "/bench.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let anchorTime = try measureAnchor()
            timings["anchor", default: []].append(anchorTime)
            let database = try SubletDatabase.initialize(at: path).0
            for district in SyntheticRegister.districts { try database.addDistrict(district, context: context) }

            let importTime = try measure {
                let data = try Data(contentsOf: URL(fileURLWithPath: csvPath))
                var reader = try ContractImportReader(bytes: [UInt8](data), today: today)
                let outcome = try database.importContracts(from: &reader, source: "legacy-contracts.csv", context: context)
                precondition(outcome.imported == contracts)
            }
            var issued = 0
            let noticeTime = try measure {
                let report = try database.issueRegularNotices(
                    NoticeRunRequest(period: period, issueDate: today, minimumDays: 10, basis: .actualDays, ocrLengthDigit: true, dryRun: false),
                    context: context
                )
                issued = report.issued
            }
            timings["import", default: []].append(importTime)
            timings["notices", default: []].append(noticeTime)
            var line = String(format: "run %d: anchor %.3f s, import %.3f s, monthly notices %.3f s (%d notices)", run, anchorTime, importTime, noticeTime, issued)
            if corrections > 0 {
                let (changeTime, nextRunTime, recorded, lines) = try measureCorrections(database, period: period)
                timings["corrections", default: []].append(changeTime)
                timings["next-run", default: []].append(nextRunTime)
                line += String(format: ", %d retroactive changes %.3f s (%d corrections), next run %.3f s (%d correction lines)",
                               corrections, changeTime, recorded, nextRunTime, lines)
            }
            if export {
                let exportTime = try measure {
                    _ = try NoticeExport(configuration: configuration).export(period: period, from: database, to: dir + "/export")
                }
                timings["export", default: []].append(exportTime)
                line += String(format: ", export %.3f s", exportTime)
            }
            print(line)
        }
        let anchor = median(timings["anchor"] ?? [1])
        for phase in ["anchor", "import", "notices", "corrections", "next-run", "export"] {
            guard let values = timings[phase] else { continue }
            print(String(format: "median %@: %.3f s (%.2f × the anchor)", phase, median(values), median(values) / anchor))
        }
    }

    /// The anchor, measured in every run beside the phases: 200,000 four-column rows inserted
    /// into a fresh SQLite file in one transaction through one prepared statement. It exercises
    /// the same disk, SQLite and CPU as Sublet without any of Sublet's code, so a phase's ratio
    /// to it holds when the machine's speed moves (by a third over a day on this VM).
    func measureAnchor() throws -> Double {
        let path = dir + "/anchor.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let queue = try DatabasePool(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE anchor (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER NOT NULL, c TEXT)") }
        return try measure {
            try queue.write { db in
                let insert = try db.makeStatement(sql: "INSERT INTO anchor (id, a, b, c) VALUES (?, ?, ?, ?)")
                for row in 1...200_000 {
                    try insert.execute(arguments: [row, "AH-" + String(row), row * 7, row % 3 == 0 ? nil : "text \(row)"])
                }
            }
        }
    }

    /// A month of landlords' invoices for as many head leases (and 1 % more that get none): the
    /// feed is written once; each run ingests it into a fresh register and reconciles the month.
    func benchmarkInvoices(today: CalendarDate, configuration: SubletConfiguration) throws {
        let period = today.period
        let feed = SyntheticInvoiceFeed(invoices: invoices, period: period)
        let feedPath = dir + "/invoices-\(period).xml"
        let size = try feed.writeFeed(to: feedPath)
        let leasesCSV = try feed.leasesCSV()
        print(String(format: "sublet-bench: %d invoices × 5 lines (%.1f MB feed), %d leases, %d run(s), period %@",
                     invoices, Double(size) / 1_048_576, feed.leaseCount, runs, period.description))
        var configuration = configuration
        configuration.outboxDirectory = dir + "/outbox"
        var timings: [String: [Double]] = [:]
        if ProcessInfo.processInfo.environment["BENCH_PARSE_ONLY"] != nil {
            var parses: [Double] = []
            for _ in 1...runs {
                parses.append(try measure {
                    let count = try InvoiceFeedReader(path: feedPath, limits: FeedLimits(maximumFileBytes: Int.max)).read { _ in }
                    precondition(count == invoices)
                })
            }
            print(String(format: "parse only (median): %.3f s; peak memory so far (max RSS): %.1f MB", median(parses), peakMemoryMB()))
            if ProcessInfo.processInfo.environment["BENCH_PARSE_ONLY"] == "exit" { return }
        }
        for run in 1...runs {
            let path = dir + "/invoices.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let database = try SubletDatabase.initialize(at: path).0
            let context = ChangeContext(actor: "bench", today: today)
            for district in SyntheticRegister.districts { try database.addDistrict(district, context: context) }
            for landlord in SyntheticInvoiceFeed.landlords { try database.addLandlord(landlord, context: context) }
            var reader = try LeaseImportReader(bytes: leasesCSV)
            _ = try database.importLeases(from: &reader, source: "leases.csv", context: context)
            for code in SyntheticInvoiceFeed.subscribingDistricts {
                try database.setReconciliation(district: code, enabled: true, from: period, context: context)
            }

            var outcome: IngestOutcome?
            let ingestTime = try measure {
                outcome = try InvoiceIngest(database: database, configuration: configuration).ingest(path: feedPath, context: context)
            }
            if run == 1 { print(String(format: "peak memory after the first ingest (max RSS): %.1f MB", peakMemoryMB())) }
            var reconciliation: Reconciliation?
            let reconcileTime = try measure {
                reconciliation = try database.reconcile(
                    period: period, reconciler: Reconciler(tolerance: configuration.tolerance, graceDays: configuration.graceDays, today: today)
                )
            }
            var reports = 0
            let reportsTime = try measure {
                reports = try ReconciliationReports(configuration: configuration).build(period: period, database: database, today: today).count
            }
            timings["ingest", default: []].append(ingestTime)
            timings["reconcile", default: []].append(reconcileTime)
            timings["ingest+reconcile", default: []].append(ingestTime + reconcileTime)
            timings["reports", default: []].append(reportsTime)
            let rows = reconciliation?.rows ?? []
            let counts = Dictionary(grouping: rows, by: \.status).mapValues(\.count)
            print(String(format: "run %d: ingest %.3f s (%d invoices), reconcile %.3f s (%d leases: %@; %d unmatched lines), reports %.3f s (%d files)",
                         run, ingestTime, outcome?.invoices ?? 0, reconcileTime, rows.count,
                         counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", "),
                         reconciliation?.unmatched.count ?? 0, reportsTime, reports))
        }
        if let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first(where: FileManager.default.isExecutableFile(atPath:)) {
            for _ in 1...runs {
                let time = try measure {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: xmllint)
                    process.arguments = ["--stream", "--noout", feedPath]
                    try process.run()
                    process.waitUntilExit()
                    precondition(process.terminationStatus == 0, "xmllint rejected the feed")
                }
                timings["xmllint --stream --noout", default: []].append(time)
            }
        } else {
            print("xmllint: not installed (apt-get install libxml2-utils) — no comparison")
        }
        for phase in ["ingest", "reconcile", "ingest+reconcile", "reports", "xmllint --stream --noout"] {
            guard let values = timings[phase] else { continue }
            print(String(format: "median %@: %.3f s", phase, median(values)))
        }
    }

    /// Two more monthly runs (three months noticed), then `corrections` rent changes from the first
    /// noticed month on contracts spread over the register, each its own transaction as from the
    /// CLI, then the next monthly run that bills them.
    func measureCorrections(_ database: SubletDatabase, period: BillingPeriod) throws -> (Double, Double, Int, Int) {
        func runMonth(_ month: BillingPeriod) throws -> NoticeRunReport {
            let issued = month.previous.firstDay.adding(days: 9)
            return try database.issueRegularNotices(
                NoticeRunRequest(period: month, issueDate: issued, minimumDays: 10, basis: .actualDays, ocrLengthDigit: true, dryRun: false),
                context: ChangeContext(actor: "bench", today: issued)
            )
        }
        _ = try runMonth(period.next)
        _ = try runMonth(period.advanced(by: 2))
        // The generator numbers its contracts L-0000001…; spread the changes over the register.
        let stride = max(contracts / (corrections + corrections / 10), 1)
        let candidates = Swift.stride(from: 1, through: contracts, by: stride).map { "L-" + String($0).zeroPadded(to: 7) }
        let today = period.advanced(by: 2).firstDay.adding(days: 14)
        let context = ChangeContext(actor: "bench", today: today)
        var recorded = 0
        let changeTime = measure {
            for (index, number) in candidates.enumerated() where recorded < corrections {
                // A contract that starts or ends inside the first month refuses a change from its first day.
                guard let change = try? database.changeContract(
                    number: number, change: .rent(Money(ore: 900_000 + index), from: period.firstDay), context: context, basis: .actualDays
                ) else { continue }
                if change.correction != nil { recorded += 1 }
            }
        }
        var lines = 0
        let nextRunTime = try measure { lines = try runMonth(period.advanced(by: 3)).correctionLines }
        return (changeTime, nextRunTime, recorded, lines)
    }

    func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }
}
