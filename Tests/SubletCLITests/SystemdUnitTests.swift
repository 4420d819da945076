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

    /// Stockholm's clocks skip 02:00–02:59 on the last Sunday of March and pass it twice on the
    /// last Sunday of October: a timer set inside that hour skips a day (the nightly backup at
    /// 02:30 did). Every timer's time of day must exist exactly once on every day.
    @Test func everyTimerFiresExactlyOnceOnEachOfItsDays() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Stockholm"))
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = try #require(TimeZone(identifier: "UTC"))
        for timer in try Self.timers() {
            let text = try String(contentsOfFile: Self.unitsDirectory + "/" + timer, encoding: .utf8)
            let clock = try #require(text.firstMatch(of: /OnCalendar=\S+ (\d\d):(\d\d):00 Europe\/Stockholm/), "\(timer)")
            let (hour, minute) = (Int(clock.1)!, Int(clock.2)!)
            var day = try #require(utc.date(from: DateComponents(year: 2026, month: 1, day: 1)))
            let end = try #require(utc.date(from: DateComponents(year: 2046, month: 1, day: 1)))
            while day < end {
                // The instants whose Stockholm wall clock reads hour:minute on this date: one per
                // UTC offset the zone could have then (CET +1, CEST +2) that it does have.
                let occurrences = [1, 2].filter { offset in
                    let instant = day.addingTimeInterval(Double((hour - offset) * 3600 + minute * 60))
                    return zone.secondsFromGMT(for: instant) == offset * 3600
                }
                #expect(occurrences.count == 1, "\(timer) at \(clock.1):\(clock.2) fires \(occurrences.count) times on \(day)")
                day = day.addingTimeInterval(86400)
            }
        }
        // systemd agrees, on a spring and an autumn change: the daily timers fire on each day.
        let tool = try #require(["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) })
        for timer in try Self.timers() {
            let text = try String(contentsOfFile: Self.unitsDirectory + "/" + timer, encoding: .utf8)
            let spec = try #require(text.firstMatch(of: /OnCalendar=(.+)/)).1
            guard spec.hasPrefix("*-*-* ") else { continue }
            for (base, days) in [("2027-03-27", ["2027-03-28", "2027-03-29"]), ("2027-10-30", ["2027-10-31", "2027-11-01"])] {
                let result = try CLI.run(
                    ["calendar", "--iterations=2", "--base-time=\(base) 23:00:00 UTC", String(spec)],
                    environment: ["PATH": "/usr/bin:/bin", "TZ": "Europe/Stockholm"],
                    directory: NSTemporaryDirectory(), executable: tool)
                let elapses = result.stdout.matches(of: /(?:Next elapse|Iter\. #2): \w+ (\d{4}-\d\d-\d\d)/).map { String($0.1) }
                #expect(elapses == days, "\(timer) from \(base): \(result.stdout)")
            }
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
        // Each unit's OnFailure= names its alert instance: verified too. The man pages the units
        // name are installed by the package (packaging/test-deb verifies with them).
        let alerts = ["sublet-alert@subletd.service.service", "sublet-alert@sublet-job@monthly-notices.service.service"]
        let result = try CLI.run(
            ["verify", "--man=no"] + units + alerts, environment: ["PATH": "/usr/bin:/bin", "SYSTEMD_LOG_LEVEL": "notice"], directory: folder,
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
        // The portal must listen (on loopback): at most 2.0 ("OK"), issue #11.
        let portal = try CLI.run(
            ["security", "--offline=yes", "--threshold=20", "sublet-portal.service"], environment: ["PATH": "/usr/bin:/bin"], directory: folder,
            executable: tool)
        #expect(portal.status == 0, "sublet-portal.service is exposed: \(portal.stdout.suffix(300))")
        let unit = try String(contentsOfFile: Self.unitsDirectory + "/sublet-portal.service", encoding: .utf8)
        #expect(unit.contains("ReadOnlyPaths=/var/lib/sublet\n") && unit.contains("IPAddressDeny=any") && unit.contains("ProtectSystem=strict"))
    }
}
