import Foundation
import GRDB
import Logging
import SubletApp
import SubletCLI
import Testing

/// Runs the built `sublet` binary the way an administrator does.
struct CLI {
    /// The built binary: `$SUBLET_BIN`, else beside this test bundle's resources in the build folder.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["SUBLET_BIN"] { return path }
        return Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("sublet").path
    }()

    /// The payee bankgiro of every workspace (fictitious; `config check` refuses the example).
    static let payee = "9999-9997"

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path

    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    /// A scratch folder with its own configuration (the database in `db/`, the daemon's folders in
    /// `spool/`, apart from it as subletd requires; the repository's jobs and templates), removed
    /// afterwards. Its commands run in-process through `SubletMain` (fast), or with `binary` as
    /// the built executable in the folder (the end-to-end suites).
    final class Workspace {
        let binary: Bool
        let path = NSTemporaryDirectory() + "sublet-cli-" + UUID().uuidString
        var database: String { path + "/db/sublet.sqlite" }
        var inbox: String { path + "/spool/inbox" }
        var archive: String { path + "/spool/archive" }
        var rejected: String { path + "/spool/rejected" }
        var config: String { path + "/sublet.toml" }
        var today = "2026-11-26"

        init(extraConfig: String = "", binary: Bool = false) {
            self.binary = binary
            try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let text = """
                [paths]
                database = "db/sublet.sqlite"
                jobs = "\(CLI.repositoryRoot)/Jobs"
                templates = "\(CLI.repositoryRoot)/Config/templates"
                outbox = "outbox"
                backups = "backups"
                inbox = "spool/inbox"
                archive = "spool/archive"
                rejected = "spool/rejected"
                [database]
                busy_timeout = 1
                \(extraConfig.contains("[payee]") ? "" : "[payee]\nbankgiro = \"\(CLI.payee)\"")
                \(extraConfig)
                """
            try! text.write(toFile: config, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Runs `sublet ARGS` in the workspace with SUBLET_CONFIG pointing at its configuration.
        @discardableResult
        func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
            var env = [
                "PATH": "/usr/bin:/bin", "USER": "tester", "SUBLET_CONFIG": config, "SUBLET_TODAY": today, "LANG": "C.UTF-8",
            ]
            env.merge(environment) { $1 }
            guard !binary else { return try CLI.run(arguments, environment: env, directory: path) }
            return CLI.runInProcess(
                arguments.enumerated().map { index, argument in
                    // The binary runs in the folder; in-process, a relative file option is resolved
                    // against it the same way.
                    let option = index > 0 ? arguments[index - 1] : ""
                    return ["--out", "-o", "--dir", "--db", "--config"].contains(option) && !argument.hasPrefix("/")
                        ? path + "/" + argument : argument
                }, environment: env)
        }

        /// `run`, expecting success.
        @discardableResult
        func ok(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
            let result = try run(arguments)
            #expect(result.status == 0, "sublet \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
            return result
        }

        /// Every row of every table, as text: equal snapshots mean an unchanged database.
        func snapshot() throws -> String {
            let queue = try DatabaseQueue(
                path: database,
                configuration: {
                    var c = Configuration()
                    c.readonly = true
                    return c
                }())
            return try queue.read { db in
                var text = ""
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                    text += "# \(table)\n"
                    for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") { text += row.description + "\n" }
                }
                return text
            }
        }

        /// A database with districts RK and SM and three contracts from the semicolon fixture.
        func seeded() throws {
            try ok("init")
            try ok("district", "add", "RK", "--name", "Rinkeby-Kista")
            try ok("district", "add", "SM", "--name", "Södermalm")
            try ok("contract", "import", CLI.fixture("contracts-semicolon.csv"))
        }
    }

    /// Bytes filled in by one reader thread and read after it is done.
    final class Collected: @unchecked Sendable {
        var data = Data()
    }

    /// Runs `sublet ARGS` in this process, as the binary would, and collects what it writes.
    static func runInProcess(_ arguments: [String], environment: [String: String]) -> Result {
        let output = RecordedOutput(terminal: environment["TEST_TERMINAL"] == "1")
        let status = SubletMain.run(
            arguments: arguments, environment: environment, output: output,
            logger: Logger(label: "sublet") { _ in SwiftLogNoOpLogHandler() })
        return Result(status: status, stdout: output.stdout, stderr: output.stderr)
    }

    /// Runs `executable` (default: the sublet binary) with `arguments`.
    static func run(_ arguments: [String], environment: [String: String], directory: String, executable: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        let errors = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errors.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errors.data, as: UTF8.self))
    }
}
