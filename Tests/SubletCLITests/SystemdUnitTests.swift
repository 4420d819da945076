import Foundation
import SubletApp
import Testing

/// The units in systemd/ are valid for systemd, and every timer fires on its job's schedule.
@Suite struct SystemdUnitTests {
    static let unitsDirectory = CLI.repositoryRoot + "/systemd"

    static func unitFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: unitsDirectory).filter { $0.hasSuffix(".service") || $0.hasSuffix(".timer") }.sorted()
    }

    static func timers() throws -> [String] { try unitFiles().filter { $0.hasSuffix(".timer") } }

    /// `sublet-job@NAME.timer` → NAME.
    static func jobName(ofTimer file: String) -> String {
        String(file.dropFirst("sublet-job@".count).dropLast(".timer".count))
    }

    @Test func everyJobHasATimerOnItsSchedule() throws {
        let catalog = try JobCatalog(directory: CLI.repositoryRoot + "/Jobs")
        let timers = try Self.timers()
        #expect(Set(timers.map(Self.jobName)) == Set(catalog.jobs.map(\.name)))
        for timer in timers {
            let text = try String(contentsOfFile: Self.unitsDirectory + "/" + timer, encoding: .utf8)
            let onCalendar = text.split(separator: "\n").first { $0.hasPrefix("OnCalendar=") }.map { String($0.dropFirst("OnCalendar=".count)) }
            let job = try #require(catalog.job(named: Self.jobName(ofTimer: timer)))
            #expect(onCalendar == job.schedule, "\(timer) fires at \(onCalendar ?? "nothing"), \(job.file) says \(job.schedule)")
            #expect(text.contains("Persistent=true"))
        }
    }

    @Test func systemdAnalyzeVerifiesTheUnits() throws {
        let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let tool = try #require(analyze, "systemd-analyze is missing: install systemd (.ci/run does)")
        // Verify checks that ExecStart exists: point the copies at the binary under test.
        let folder = NSTemporaryDirectory() + "sublet-units-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for file in try Self.unitFiles() {
            let text = try String(contentsOfFile: Self.unitsDirectory + "/" + file, encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/", with: URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path + "/")
                .write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
        }
        let timers = try Self.timers()
        let units =
            timers + timers.map { $0.replacingOccurrences(of: ".timer", with: ".service") }
            + (try Self.unitFiles().filter { $0.hasSuffix(".service") && !$0.contains("@.") })
        let result = try CLI.run(
            ["verify"] + units, environment: ["PATH": "/usr/bin:/bin", "SYSTEMD_LOG_LEVEL": "notice"], directory: folder,
            executable: tool)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "systemd-analyze warns: \(result.stderr)")

        // The daemon and the jobs are hardened alike: an exposure of at most 1.0 ("SAFE").
        for unit in ["subletd.service", timers[0].replacingOccurrences(of: ".timer", with: ".service")] {
            let security = try CLI.run(
                ["security", "--offline=yes", "--threshold=10", unit], environment: ["PATH": "/usr/bin:/bin"],
                directory: folder, executable: tool)
            #expect(security.status == 0, "\(unit) is exposed: \(security.stdout)")
            #expect(security.stdout.contains("Overall exposure level for \(unit): 0."), "\(security.stdout.suffix(200))")
        }
    }
}
