import Foundation
import GRDB
import Logging
import SubletApp
import SubletDomain
import SubletStorage

/// `sublet-bench`: generates N contracts as CSV, imports them into a fresh database, runs the
/// monthly notices, and prints each phase's wall time (median of the runs), its ratio to an
/// anchor measured in the same run, and the peak memory. With `invoices` it also generates a
/// landlords' feed of N five-line invoices and times its ingest and reconciliation (and
/// `xmllint --stream` on the same file, when installed); run it with no contracts to see the
/// invoice path's own peak memory. Every phase runs through `SubletApp`, as the commands do.
/// Build with `-c release`; figures go to docs/performance.md.
public struct Benchmark: Sendable {
    public var contracts: Int
    public var runs: Int
    public var directory: String
    public var export: Bool
    public var corrections: Int
    public var invoices: Int
    /// Payments to import, one per notice of a register of this many contracts (0: skip).
    public var payments = 0
    public var logger: Logger

    public static let defaultDirectory = NSTemporaryDirectory() + "sublet-bench"
    /// The benchmark's fixed day, so that every run bills the same months.
    static let today = CalendarDate(year: 2026, month: 11, day: 26)!

    public init(contracts: Int, runs: Int, directory: String, export: Bool, corrections: Int, invoices: Int, logger: Logger) {
        self.contracts = contracts
        self.runs = runs
        self.directory = directory
        self.export = export
        self.corrections = corrections
        self.invoices = invoices
        self.logger = logger
    }

    public func run() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB")
        if contracts > 0 { try benchmarkContracts() }
        if invoices > 0 { try benchmarkInvoices() }
        if payments > 0 { try benchmarkPayments() }
        print(String(format: "peak memory (max RSS): %.1f MB", Self.peakMemoryMB()))
    }

    /// A fresh database at `path` and the app over it, on `today`.
    func freshApp(at path: String, today: CalendarDate = Self.today) throws -> SubletApp {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let app = SubletApp(
            settings: Settings(), databasePath: path, database: nil, clock: FixedClock(today: today), actor: "bench",
            logger: logger, output: StandardOutput())
        _ = try app.initializeDatabase()
        let opened = try app.opening(path, access: .readWrite)
        for district in SyntheticRegister.districts { try opened.addDistrict(district) }
        return opened
    }

    func benchmarkContracts() throws {
        let period = Self.today.period.next
        let csvPath = directory + "/contracts.csv"
        let bytes = SyntheticRegister().csv(count: contracts, activeIn: period)
        try Data(bytes).write(to: URL(fileURLWithPath: csvPath))
        print("sublet-bench: \(contracts) contracts (\(bytes.count / 1024) KiB CSV), \(runs) run(s), period \(period)")
        var timings = Timings()
        for run in 1...runs {
            timings.add("anchor", try measureAnchor())
            let app = try freshApp(at: directory + "/bench.sqlite")
            let importTime = try Stopwatch.measure {
                let outcome = try app.importContracts(file: csvPath)
                precondition(outcome.imported == contracts)
            }
            var issued = 0
            let noticeTime = try Stopwatch.measure { issued = try app.issueNotices(for: period).issued }
            timings.add("import", importTime)
            timings.add("notices", noticeTime)
            let (findMedian, findSlowest) = try measureFind(app)
            timings.add("find (one query)", findMedian)
            var line = String(
                format: "run %d: anchor %.3f s, import %.3f s, monthly notices %.3f s (%d notices), find %.1f ms a query (slowest %.1f ms)",
                run, timings.last("anchor"), importTime, noticeTime, issued, findMedian * 1000, findSlowest * 1000)
            if corrections > 0 {
                let (changeTime, nextRunTime, recorded, lines) = try measureCorrections(app, period: period)
                timings.add("corrections", changeTime)
                timings.add("next-run", nextRunTime)
                line += String(
                    format: ", %d retroactive changes %.3f s (%d corrections), next run %.3f s (%d correction lines)",
                    corrections, changeTime, recorded, nextRunTime, lines)
            }
            if export {
                let exportTime = try Stopwatch.measure { _ = try app.exportNotices(for: period, to: directory + "/export") }
                timings.add("export", exportTime)
                line += String(format: ", export %.3f s", exportTime)
            }
            print(line)
        }
        timings.printMedians(["anchor", "import", "notices", "find (one query)", "corrections", "next-run", "export"], anchor: "anchor")
    }

    /// Two more monthly runs (three months noticed), then `corrections` rent changes from the first
    /// noticed month on contracts spread over the register, each its own transaction as from the
    /// CLI, then the next monthly run that bills them.
    func measureCorrections(_ app: SubletApp, period: BillingPeriod) throws -> (Double, Double, Int, Int) {
        func runMonth(_ month: BillingPeriod) throws -> NoticeRunReport {
            try app.with(clock: FixedClock(today: month.previous.firstDay.adding(days: 9))).issueNotices(for: month)
        }
        _ = try runMonth(period.next)
        _ = try runMonth(period.advanced(by: 2))
        // The generator numbers its contracts L-0000001…; spread the changes over the register.
        let stride = max(contracts / (corrections + corrections / 10), 1)
        let candidates = Swift.stride(from: 1, through: contracts, by: stride).map { "L-" + String($0).zeroPadded(to: 7) }
        let changing = app.with(clock: FixedClock(today: period.advanced(by: 2).firstDay.adding(days: 14)))
        var recorded = 0
        let changeTime = Stopwatch.measure {
            for (index, number) in candidates.enumerated() where recorded < corrections {
                // A contract that starts or ends inside the first month refuses a change from its first day.
                guard let change = try? changing.changeContract(number, .rent(Money(ore: 900_000 + index), from: period.firstDay)) else { continue }
                if change.correction != nil { recorded += 1 }
            }
        }
        var lines = 0
        let nextRunTime = try Stopwatch.measure { lines = try runMonth(period.advanced(by: 3)).correctionLines }
        return (changeTime, nextRunTime, recorded, lines)
    }

    /// The anchor, measured in every run beside the phases: 200,000 four-column rows inserted
    /// into a fresh SQLite file in one transaction through one prepared statement. It exercises
    /// the same disk, SQLite and CPU as Sublet without any of Sublet's code, so a phase's ratio
    /// to it holds when the machine's speed moves (by a third over a day on this VM).
    func measureAnchor() throws -> Double {
        let path = directory + "/anchor.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let queue = try DatabasePool(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE anchor (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER NOT NULL, c TEXT)") }
        return try Stopwatch.measure {
            try queue.write { db in
                let insert = try db.makeStatement(sql: "INSERT INTO anchor (id, a, b, c) VALUES (?, ?, ?, ?)")
                for row in 1...200_000 {
                    try insert.execute(arguments: [row, "AH-" + String(row), row * 7, row % 3 == 0 ? nil : "text \(row)"])
                }
            }
        }
    }

    static func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }
}

/// Each phase's times over the runs.
struct Timings {
    private var values: [String: [Double]] = [:]

    mutating func add(_ phase: String, _ seconds: Double) { values[phase, default: []].append(seconds) }
    func last(_ phase: String) -> Double { values[phase]?.last ?? 0 }

    func median(_ phase: String) -> Double? {
        guard let sorted = values[phase]?.sorted(), !sorted.isEmpty else { return nil }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The medians, with each one's ratio to `anchor` when it was measured.
    func printMedians(_ phases: [String], anchor: String? = nil) {
        let reference = anchor.flatMap(median)
        for phase in phases {
            guard let value = median(phase) else { continue }
            if let reference {
                print(String(format: "median %@: %.3f s (%.2f × the anchor)", phase, value, value / reference))
            } else {
                print(String(format: "median %@: %.3f s", phase, value))
            }
        }
    }
}
