import Foundation
import Testing

/// Issue #7: nothing in the inbox or the configuration can stall `subletd`, make it crash, or make
/// it move what is not its to move.
@Suite struct DaemonHardeningTests {
    static func workspace() throws -> CLI.Workspace {
        try ReconciliationEndToEndTests.workspace(extraConfig: "[daemon]\npoll_seconds = 0.3\n")
    }

    static let invoice = try! String(contentsOfFile: CLI.fixture("rent-invoice.xml"), encoding: .utf8)

    /// Writes `text` as `name` in the inbox the way a careful sender does: `.tmp`, then rename.
    static func drop(_ text: String, as name: String, in workspace: CLI.Workspace) throws {
        try FileManager.default.createDirectory(atPath: workspace.inbox, withIntermediateDirectories: true)
        try text.write(toFile: workspace.inbox + "/" + name + ".tmp", atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(atPath: workspace.inbox + "/" + name + ".tmp", toPath: workspace.inbox + "/" + name)
    }

    @Test func aFIFOInTheInboxIsSetAsideUnopenedAndTheNextFileIsTakenIn() throws {
        let workspace = try Self.workspace()
        let daemon = try Daemon(workspace)
        #expect(mkfifo(workspace.inbox + "/a-pipe.xml", 0o644) == 0)
        try Self.drop(Self.invoice, as: "b-invoice.xml", in: workspace)
        #expect(Daemon.eventually { Daemon.contents(workspace.archive + "/2025/05") == ["b-invoice.xml"] })
        #expect(Daemon.contents(workspace.rejected) == ["a-pipe.xml", "a-pipe.xml.error.txt"])
        let reason = try String(contentsOfFile: workspace.rejected + "/a-pipe.xml.error.txt", encoding: .utf8)
        #expect(reason.contains("a-pipe.xml: not a regular file but a FIFO (named pipe)"))
        #expect(daemon.stop() < 5)
        #expect(daemon.process.terminationStatus == 0)
        #expect(daemon.log.contains("Rejected file=a-pipe.xml"))
    }

    @Test func aSymlinkAndAFolderInTheInboxAreNeverFollowed() throws {
        let workspace = try Self.workspace()
        try FileManager.default.createDirectory(atPath: workspace.inbox + "/a-folder", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: workspace.inbox + "/etc-passwd.xml", withDestinationPath: "/etc/passwd")
        try Self.drop(Self.invoice, as: "c-invoice.xml", in: workspace)
        let daemon = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(daemon.waitForExit() == 0)
        #expect(Daemon.contents(workspace.archive + "/2025/05") == ["c-invoice.xml"])
        #expect(Daemon.contents(workspace.rejected) == ["etc-passwd.xml", "etc-passwd.xml.error.txt"])
        #expect(Daemon.contents(workspace.inbox) == ["a-folder"])
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: workspace.rejected + "/etc-passwd.xml")
        #expect(link == "/etc/passwd")
        #expect(daemon.log.contains("Left alone: a folder in the inbox file=a-folder"))
    }

    /// A sender that writes in place: the file is taken only once it has stopped growing.
    @Test func aFileWrittenInPlaceIsTakenOnlyOnceItStandsStill() throws {
        let workspace = try Self.workspace()
        let daemon = try Daemon(workspace)
        let path = workspace.inbox + "/slow.xml"
        let bytes = Array(Self.invoice.utf8)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        // About two seconds of writing, a piece every 0.1 s: several polls see it growing.
        let pieces = stride(from: 0, to: bytes.count, by: bytes.count / 20 + 1).map { Array(bytes[$0..<min($0 + bytes.count / 20 + 1, bytes.count)]) }
        for piece in pieces {
            try handle.write(contentsOf: piece)
            Thread.sleep(forTimeInterval: 0.1)
            #expect(Daemon.contents(workspace.rejected).isEmpty, "taken while still being written")
        }
        try handle.close()
        #expect(Daemon.eventually { Daemon.contents(workspace.archive + "/2025/05") == ["slow.xml"] })
        #expect(Daemon.contents(workspace.rejected).isEmpty)
        daemon.stop()
        #expect(daemon.log.split(separator: "\n").contains { $0.contains("subletd: Taken in ") && $0.contains(" file=slow.xml") })
    }

    @Test func anAmountBeyondTheBoundIsRejectedWithItsPlaceAndTheDaemonGoesOn() throws {
        let workspace = try Self.workspace()
        let daemon = try Daemon(workspace)
        let huge = Self.invoice.replacingOccurrences(
            of: "<cbc:LineExtensionAmount currencyID=\"SEK\">8450.00</cbc:LineExtensionAmount>",
            with: "<cbc:LineExtensionAmount currencyID=\"SEK\">99999999999999999.99</cbc:LineExtensionAmount>")
        try Self.drop(huge, as: "a-huge.xml", in: workspace)
        try Self.drop(Self.invoice, as: "b-fine.xml", in: workspace)
        #expect(Daemon.eventually { Daemon.contents(workspace.archive + "/2025/05") == ["b-fine.xml"] })
        #expect(Daemon.contents(workspace.rejected) == ["a-huge.xml", "a-huge.xml.error.txt"])
        let reason = try String(contentsOfFile: workspace.rejected + "/a-huge.xml.error.txt", encoding: .utf8)
        #expect(reason.contains("a-huge.xml:125:5: line 1 LineExtensionAmount '99999999999999999.99' is beyond ±100 000 000 000"))
        #expect(daemon.process.isRunning)
        daemon.stop()
        #expect(daemon.process.terminationStatus == 0)
    }

    /// Stored, but the move failed (a crash in between): seen again, it is archived and its
    /// month's reports are rebuilt.
    @Test func aFileStoredButNotMovedStillGetsItsReportsRebuilt() throws {
        let workspace = try Self.workspace()
        try Self.drop(Self.invoice, as: "stored.xml", in: workspace)
        try workspace.ok("invoices", "ingest", workspace.inbox + "/stored.xml")
        let report = workspace.path + "/outbox/SK/2025-04/avstamning-SK-2025-04.csv"
        #expect(!FileManager.default.fileExists(atPath: report))
        let daemon = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(daemon.waitForExit() == 0)
        #expect(Daemon.contents(workspace.archive + "/2025/05") == ["stored.xml"])
        #expect(FileManager.default.fileExists(atPath: report))
        #expect(daemon.log.split(separator: "\n").contains { $0.contains("subletd: Already taken in ") && $0.contains(" file=stored.xml") })
    }

    /// A name with a line break and an escape sequence, and libxml2's two-line messages: every
    /// event is one line of the log.
    @Test func namesAndLibraryMessagesCannotForgeLogLines() throws {
        let workspace = try Self.workspace()
        let evil = "evil\nsubletd: Taken in file=forged.xml\u{1B}[31m.xml"
        try Self.drop("<Invoice", as: evil, in: workspace)
        var badUTF8 = Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice>".utf8)
        badUTF8.append(contentsOf: [0xFF, 0xFE, 0xC3])
        badUTF8.append(Data("</Invoice>\n".utf8))
        try badUTF8.write(to: URL(fileURLWithPath: workspace.inbox + "/bad-utf8.xml"))
        let daemon = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(daemon.waitForExit() == 0)
        #expect(Daemon.contents(workspace.rejected).count == 4)
        let lines = daemon.log.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(
            lines.allSatisfy {
                $0.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (notice|warning|error|info|critical) subletd: "#, options: .regularExpression) != nil
            },
            "\(lines)")
        #expect(!daemon.log.contains("\u{1B}"))
        #expect(daemon.log.contains(#"file=evil\nsubletd: Taken in file=forged.xml\u{1B}[31m.xml"#))
        #expect(!lines.contains { $0.hasPrefix("subletd: Taken in") })
    }

    /// Whatever the umask, what the daemon files away and writes is 0640 in folders of 0750.
    @Test func archivedAndRejectedFilesHaveTheirModesWhateverTheUmask() throws {
        let workspace = try Self.workspace()
        try Self.drop(Self.invoice, as: "good.xml", in: workspace)
        try Self.drop("<Invoice", as: "bad.xml", in: workspace)
        chmod(workspace.inbox + "/good.xml", 0o666)
        let result = try CLI.run(
            ["-c", "umask 000; exec \"$0\" --once", Daemon.binary],
            environment: [
                "PATH": "/usr/bin:/bin", "USER": "subletd-test", "SUBLET_CONFIG": workspace.config,
                "SUBLET_TODAY": workspace.today,
            ],
            directory: workspace.path, executable: "/bin/sh")
        #expect(result.status == 0, "\(result.stderr)")
        func mode(_ path: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        #expect(try mode(workspace.archive + "/2025/05/good.xml") == 0o640)
        #expect(try mode(workspace.archive + "/2025/05") == 0o750)
        #expect(try mode(workspace.archive + "/2025") == 0o750)
        #expect(try mode(workspace.rejected + "/bad.xml.error.txt") == 0o640)
        #expect(try mode(workspace.rejected + "/bad.xml") == 0o640)
        for report in try FileManager.default.subpathsOfDirectory(atPath: workspace.path + "/outbox") {
            let isFolder = !report.hasSuffix(".csv") && !report.hasSuffix(".html")
            #expect(try mode(workspace.path + "/outbox/" + report) == (isFolder ? 0o750 : 0o640), "\(report)")
        }
    }

    @Test(arguments: [
        ("inbox = \"db\"", "paths.inbox", "is the database's folder"),
        ("inbox = \"outbox\"", "paths.inbox", "is paths.outbox"),
        ("inbox = \".\"", "paths.inbox", "contains the database's folder"),
        ("archive = \"spool/inbox/archive\"", "paths.inbox", "contains paths.archive"),
        ("rejected = \"db/rejected\"", "paths.rejected", "lies inside the database's folder"),
    ])
    func foldersThatOverlapAreRefusedAtStart(setting: String, key: String, relation: String) throws {
        let workspace = try Self.workspace()
        let config = try String(contentsOfFile: workspace.config, encoding: .utf8)
        let name = String(setting.prefix { $0 != " " })
        try config.replacingOccurrences(of: "\(name) = \"spool/\(name)\"", with: setting).write(
            toFile: workspace.config, atomically: true, encoding: .utf8)
        try Self.drop(Self.invoice, as: "waiting.xml", in: workspace)
        let before = Set(try FileManager.default.subpathsOfDirectory(atPath: workspace.path))
        let daemon = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(daemon.waitForExit() == 78)
        #expect(daemon.log.contains(key) && daemon.log.contains(relation), "\(daemon.log)")
        // Nothing moved, nothing created.
        #expect(
            Set(try FileManager.default.subpathsOfDirectory(atPath: workspace.path)).subtracting(["notify"]).filter { !$0.hasPrefix("notify-") }
                == before)
    }

    @Test func aSymlinkedInboxIsRefusedUnlessConfigured() throws {
        let workspace = try Self.workspace()
        let elsewhere = workspace.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: workspace.path + "/spool", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: workspace.inbox, withDestinationPath: elsewhere)
        try Self.invoice.write(toFile: elsewhere + "/linked.xml", atomically: true, encoding: .utf8)
        let refused = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(refused.waitForExit() == 78)
        #expect(refused.log.contains("paths.inbox") && refused.log.contains("is a symbolic link"))
        #expect(Daemon.contents(elsewhere) == ["linked.xml"])

        try (try String(contentsOfFile: workspace.config, encoding: .utf8) + "allow_symlinked_inbox = true\n").write(
            toFile: workspace.config, atomically: true, encoding: .utf8)
        let allowed = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(allowed.waitForExit() == 0)
        #expect(Daemon.contents(workspace.archive + "/2025/05") == ["linked.xml"])
    }
}

/// Issue #10: under systemd each `ReadWritePaths=` entry is a mount of its own, and `rename`
/// across mounts fails with EXDEV. The package keeps the spool folders under one root; where
/// they are apart anyway, the daemon copies and unlinks (a regular file only).
@Suite struct DaemonAcrossMountsTests {
    @Test func filesMoveToArchiveAndRejectedOnAnotherFileSystem() throws {
        let workspace = try DaemonHardeningTests.workspace()
        let elsewhere = "/dev/shm/sublet-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: workspace.inbox, withIntermediateDirectories: true)
        var inbox = stat()
        var other = stat()
        #expect(stat(workspace.inbox, &inbox) == 0 && stat(elsewhere, &other) == 0)
        try #require(inbox.st_dev != other.st_dev, "/dev/shm must be another file system than \(workspace.inbox)")
        let config = try String(contentsOfFile: workspace.config, encoding: .utf8)
            .replacingOccurrences(of: "archive = \"spool/archive\"", with: "archive = \"\(elsewhere)/archive\"")
            .replacingOccurrences(of: "rejected = \"spool/rejected\"", with: "rejected = \"\(elsewhere)/rejected\"")
        try config.write(toFile: workspace.config, atomically: true, encoding: .utf8)
        try DaemonHardeningTests.drop(DaemonHardeningTests.invoice, as: "invoice.xml", in: workspace)
        try DaemonHardeningTests.drop("<not xml", as: "broken.xml", in: workspace)
        let daemon = try Daemon(workspace, arguments: ["--once"], waitForReady: false)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(Daemon.contents(workspace.inbox).isEmpty)
        #expect(try String(contentsOfFile: elsewhere + "/archive/2025/05/invoice.xml", encoding: .utf8) == DaemonHardeningTests.invoice)
        #expect(Daemon.contents(elsewhere + "/rejected") == ["broken.xml", "broken.xml.error.txt"])
        var archived = stat()
        #expect(stat(elsewhere + "/archive/2025/05/invoice.xml", &archived) == 0 && archived.st_mode & 0o777 == 0o640)
    }
}
