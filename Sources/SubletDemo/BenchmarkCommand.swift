import ArgumentParser
import Logging

/// `sublet-bench`: times Sublet's heavy paths on synthetic data (docs/performance.md). Build with `-c release`.
public struct BenchmarkCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sublet-bench",
        abstract: "Benchmark the contract import, the monthly run, the invoice ingest and reconciliation, and the payment import.")
    @Option(help: "Number of contracts.") var contracts = 86_000
    @Option(help: "Runs (each on a fresh database); the median is reported.") var runs = 3
    @Option(help: ArgumentHelp("Scratch folder.", valueName: "dir")) var dir = Benchmark.defaultDirectory
    @Flag(help: "Also time the print-house export (HTML pages).") var export = false
    @Option(help: "Retroactive changes to time after three monthly runs (0: skip).") var corrections = 1000
    @Option(help: "Landlords' invoices (five lines each) to ingest and reconcile (0: skip).") var invoices = 0
    @Option(help: "Tenants' payments to import as camt.054 and as BgMax, one per notice of a register this large (0: skip).")
    var payments = 0

    public init() {}

    public func run() throws {
        var benchmark = Benchmark(
            contracts: contracts, runs: runs, directory: dir, export: export, corrections: corrections, invoices: invoices,
            logger: Logger(label: "sublet-bench"))
        benchmark.payments = payments
        try benchmark.run()
    }
}
