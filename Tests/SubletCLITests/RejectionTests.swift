import Foundation
import GRDB
import Testing

/// Every rejected command exits non-zero, says what and where, and leaves the database as it was.
@Suite struct RejectionTests {
    struct Case: CustomStringConvertible, Sendable {
        var arguments: [String]
        var status: Int32
        var message: String
        var environment: [String: String] = [:]
        var description: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(
            arguments: [
                "contract", "add", "--district", "RK", "--tenant", "X", "--personal-number", "19850312-1232", "--address", "A",
                "--rent", "100", "--start", "2026-01-01",
            ], status: 65, message: "--personal-number: '19850312-****' has a wrong check digit"),
        Case(
            arguments: [
                "contract", "add", "--district", "ZZ", "--tenant", "X", "--personal-number", "19850312-1231", "--address", "A",
                "--rent", "100", "--start", "2026-01-01",
            ], status: 65, message: "district ZZ does not exist"),
        Case(
            arguments: [
                "contract", "add", "--district", "RK", "--tenant", "X", "--personal-number", "19850312-1231", "--address", "A",
                "--rent", "100,005", "--start", "2026-01-01", "--charge", "P",
            ], status: 65, message: "--rent: '100,005' has more than two decimals"),
        Case(arguments: ["contract", "add", "--district", "RK"], status: 64, message: "Missing expected argument"),
        Case(
            arguments: ["contract", "change", "L-0001", "--rent", "9000", "--from", "2026-12-01", "--no-fee"], status: 64,
            message: "--no-fee needs --reason TEXT"),
        Case(
            arguments: ["contract", "change", "L-0001", "--start", "2026-01-01", "--from", "2026-12-01"], status: 64,
            message: "--start is the new date itself"),
        Case(
            arguments: ["contract", "change", "L-0001", "--rent", "9000", "--from", "2026-12-01", "--time", "0"], status: 64,
            message: "--time must be a positive number of minutes"),
        Case(arguments: ["fees", "list", "--period", "2026-1"], status: 65, message: "--period: '2026-1' is not a month"),
        Case(arguments: ["stats", "--tertial", "2026-T4"], status: 65, message: "--tertial: '2026-T4'"),
        Case(arguments: ["stats", "--format", "html"], status: 64, message: "--format html needs --out FILE"),
        Case(arguments: ["corrections", "show", "K-2026-999999"], status: 65, message: "correction K-2026-999999 does not exist"),
        Case(
            arguments: ["contract", "change", "L-0001", "--rent", "9000", "--charge", "P=1", "--from", "2027-02-01"], status: 64,
            message: "exactly one of --rent, --charge, --remove-charge or --start"),
        Case(
            arguments: ["contract", "change", "L-0001", "--remove-charge", "Förråd", "--from", "2027-02-01"], status: 65,
            message: "--from: the contract has no charge 'Förråd' on 2027-02-01"),
        Case(
            arguments: ["contract", "change", "L-0001", "--rent", "abc", "--from", "2027-02-01"], status: 65,
            message: "--rent: 'abc' is not an amount"),
        Case(arguments: ["contract", "change", "NOPE", "--rent", "1", "--from", "2027-02-01"], status: 65, message: "contract NOPE does not exist"),
        Case(
            arguments: ["contract", "end", "L-0001", "--date", "2025-01-01"], status: 65,
            message: "--date: end date 2025-01-01 is before the start date"),
        Case(arguments: ["contract", "import", "missing.csv"], status: 66, message: "missing.csv: no such file"),
        Case(arguments: ["contract", "import", "/etc"], status: 66, message: "/etc: cannot be read"),
        Case(arguments: ["notices", "run", "--period", "2026-13"], status: 65, message: "--period: '2026-13' is not a month"),
        Case(arguments: ["notices", "show", "2026-999999"], status: 65, message: "notice 2026-999999 does not exist"),
        Case(arguments: ["district", "add", "RK", "--name", "Again"], status: 65, message: "district RK already exists"),
        Case(arguments: ["district", "add", "R K", "--name", "Space"], status: 65, message: "CODE: 'R K' is not a district code"),
        Case(arguments: ["frobnicate"], status: 64, message: "Unexpected argument 'frobnicate'"),
        Case(arguments: ["notices", "run"], status: 78, message: "SUBLET_TODAY: '26/11' is not a date", environment: ["SUBLET_TODAY": "26/11"]),
        Case(arguments: ["contract", "list", "--db", "elsewhere.sqlite"], status: 66, message: "elsewhere.sqlite. Create it with `sublet init`"),
        Case(arguments: ["contract", "list", "--config", "nowhere.toml"], status: 78, message: "nowhere.toml: no such file"),
    ]

    @Test(arguments: cases)
    func rejectedCommandsChangeNothing(example: Case) throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try workspace.ok("notices", "run")
        let before = try workspace.snapshot()
        let result = try workspace.run(example.arguments, environment: example.environment)
        #expect(result.status == example.status, "\(result.stderr)")
        #expect(result.stderr.contains(example.message), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty || example.status == 64)
        #expect(try workspace.snapshot() == before)
    }

    @Test(arguments: [
        ("[notice]\nmin_dayz = 3\n", "unknown key 'notice.min_dayz'"),
        ("[proration]\nbasis = \"weekly\"\n", "bad value for 'proration.basis'"),
        ("[ocr]\nlength_digit = \"yes\"\n", "bad value for 'ocr.length_digit'"),
    ])
    func configurationErrorsExit78NamingTheKey(extra: String, message: String) throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let before = try workspace.snapshot()
        try (String(contentsOfFile: workspace.config, encoding: .utf8) + "\n" + extra).write(
            toFile: workspace.config, atomically: true, encoding: .utf8)
        let result = try workspace.run(["notices", "run"])
        #expect(result.status == 78)
        #expect(result.stderr.contains(message))
        #expect(try workspace.snapshot() == before)
    }

    @Test func aBusyDatabaseExits75AndChangesNothing() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        let before = try workspace.snapshot()
        // Another process holds the write lock longer than busy_timeout (1 s here).
        let holder = try DatabaseQueue(path: workspace.database)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let result = try workspace.run(["district", "add", "FA", "--name", "Farsta"])
            #expect(result.status == 75)
            #expect(result.stderr.contains("busy"))
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try workspace.snapshot() == before)
    }

    @Test func aNewerDatabaseIsRefused() throws {
        let workspace = CLI.Workspace()
        try workspace.seeded()
        try DatabaseQueue(path: workspace.database).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-future')") }
        for arguments in [["init"], ["contract", "list"]] {
            let result = try workspace.run(arguments)
            #expect(result.status == 78)
            #expect(result.stderr.contains("newer version of Sublet"))
        }
    }
}
