import Foundation
import InvoiceFeed
import SubletApp
import SubletDomain
import SubletStorage

extension Benchmark {
    /// A month of landlords' invoices for as many head leases (and 1 % more that get none): the
    /// feed is written once; each run ingests it into a fresh register and reconciles the month.
    func benchmarkInvoices() throws {
        let period = Self.today.period
        let feed = SyntheticInvoiceFeed(invoices: invoices, period: period)
        let feedPath = directory + "/invoices-\(period).xml"
        let size = try feed.writeFeed(to: feedPath)
        let leasesPath = directory + "/leases.csv"
        try Data(try feed.leasesCSV()).write(to: URL(fileURLWithPath: leasesPath))
        print(
            String(
                format: "sublet-bench: %d invoices × 5 lines (%.1f MB feed), %d leases, %d run(s), period %@",
                invoices, Double(size) / 1_048_576, feed.leaseCount, runs, period.description))
        var timings = Timings()
        for run in 1...runs {
            var app = try freshApp(at: directory + "/invoices.sqlite")
            var settings = app.settings
            settings.paths.outbox = directory + "/outbox"
            app = app.with(settings: settings)
            for landlord in SyntheticInvoiceFeed.landlords { try app.addLandlord(landlord) }
            _ = try app.importLeases(file: leasesPath)
            for code in SyntheticInvoiceFeed.subscribingDistricts { try app.setReconciliation(district: code, enabled: true, from: period) }

            var outcome: IngestOutcome?
            let ingestTime = try Stopwatch.measure { outcome = try app.ingest(file: feedPath) }
            if run == 1 { print(String(format: "peak memory after the first ingest (max RSS): %.1f MB", Self.peakMemoryMB())) }
            var reconciliation: Reconciliation?
            let reconcileTime = try Stopwatch.measure { reconciliation = try app.reconcile(period) }
            var reports = 0
            let reportsTime = try Stopwatch.measure { reports = try app.buildReports(for: period).count }
            timings.add("ingest", ingestTime)
            timings.add("reconcile", reconcileTime)
            timings.add("ingest+reconcile", ingestTime + reconcileTime)
            timings.add("reports", reportsTime)
            let rows = reconciliation?.rows ?? []
            let counts = Dictionary(grouping: rows, by: \.status).mapValues(\.count)
            print(
                String(
                    format: "run %d: ingest %.3f s (%d invoices), reconcile %.3f s (%d leases: %@; %d unmatched lines), reports %.3f s (%d files)",
                    run, ingestTime, outcome?.invoices ?? 0, reconcileTime, rows.count,
                    counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", "),
                    reconciliation?.unmatched.count ?? 0, reportsTime, reports))
        }
        try timeXmllint(feedPath, into: &timings)
        timings.printMedians(["ingest", "reconcile", "ingest+reconcile", "reports", "xmllint --stream --noout"])
    }

    /// `xmllint --stream --noout` on the same feed: libxml2's own streaming speed, for comparison.
    func timeXmllint(_ feedPath: String, into timings: inout Timings) throws {
        guard let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("xmllint: not installed (apt-get install libxml2-utils) — no comparison")
            return
        }
        for _ in 1...runs {
            let time = try Stopwatch.measure {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: xmllint)
                process.arguments = ["--stream", "--noout", feedPath]
                try process.run()
                process.waitUntilExit()
                precondition(process.terminationStatus == 0, "xmllint rejected the feed")
            }
            timings.add("xmllint --stream --noout", time)
        }
    }
}
