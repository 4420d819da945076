import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import SubletApp
import SubletDomain
import SubletPortal
import SubletStorage

/// A register with two districts, RK and SK, each with one head lease whose identifiers and
/// amounts appear nowhere else, their November reports built, and five portal accounts: an RK
/// officer, an SK officer, a disabled RK officer, an administrator, and one still waiting for its
/// password (whose one-time token the fixture keeps).
final class PortalFixture: @unchecked Sendable {
    let folder: String
    let state: PortalState
    let accounts: PortalAccounts
    let clock = MovableClock()
    let pendingToken: String
    static let password = "rätt häst batteri häftklammer"
    static let month = "2026-11"

    /// What only each district's data contains.
    static let markers = [
        "RK": ["HL-RK1", "RK-OBJ-7781", "Rinkebysvängen 71", "8 450", "8450", "Rut Rinkebysson"],
        "SK": ["HL-SK1", "SK-OBJ-9913", "Skärholmsvägen 99", "9 137", "9137", "Sven Skärholmsson"],
    ]

    init() throws {
        folder = NSTemporaryDirectory() + "sublet-portal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var settings = Settings()
        settings.paths.outbox = folder + "/outbox"
        settings.portal.accounts = folder + "/portal.sqlite"
        settings.portal.bcryptCost = 4
        settings.portal.secureCookies = false
        let path = folder + "/sublet.sqlite"
        let (database, _) = try SubletDatabase.initialize(at: path)
        let context = ChangeContext(actor: "fixture", today: CalendarDate("2026-10-01")!)
        try database.addDistrict(District(code: "RK", name: "Rinkeby-Kista"), context: context)
        try database.addDistrict(District(code: "SK", name: "Skärholmen"), context: context)
        try database.addLandlord(
            Landlord(organisationNumber: OrganisationNumber(parsing: "556900-1232"), name: "Exempelbostäder AB"), context: context)
        for (district, id, object, address, rent) in [
            ("RK", "HL-RK1", "RK-OBJ-7781", "Rinkebysvängen 71", 8450), ("SK", "HL-SK1", "SK-OBJ-9913", "Skärholmsvägen 99", 9137),
        ] {
            _ = try database.addLease(
                HeadLease(
                    id: id, landlord: "5569001232", objectID: object, district: district, address: address,
                    terms: ContractTerms(start: CalendarDate("2026-01-01")!, rent: Money(kronor: rent))),
                id: id, context: context)
            try database.setReconciliation(district: district, enabled: true, from: BillingPeriod("2026-10")!, context: context)
        }
        // A tenant per district, whose October and November rents are unpaid (the forfeiture watch
        // and the late rents).
        for (district, tenant, personalNumber, address) in [
            ("RK", "Rut Rinkebysson", "19850312-1231", "Rinkebysvängen 71 lgh 1101"),
            ("SK", "Sven Skärholmsson", "19790101-1234", "Skärholmsvägen 99 lgh 1202"),
        ] {
            let input = ContractInput(
                number: nil, district: district, tenantName: tenant, personalNumber: personalNumber, address: address, start: "2026-09-01",
                end: nil, rent: "7000", charges: [])
            _ = try database.addContract(try ContractDraft.validate(input, today: CalendarDate("2026-08-20")!).get(), context: context)
        }
        for (period, issued) in [("2026-10", "2026-09-15"), ("2026-11", "2026-10-15")] {
            _ = try database.issueRegularNotices(
                NoticeRunRequest(
                    period: BillingPeriod(period)!, issueDate: CalendarDate(issued)!, minimumDays: 10, basis: .actualDays, ocrLengthDigit: true,
                    dryRun: false), context: ChangeContext(actor: "fixture", today: CalendarDate(issued)!))
        }
        let writer = SubletApp(
            settings: settings, databasePath: path, database: database,
            clock: FixedClock(today: CalendarDate("2026-12-03")!, now: MovableClock.start),
            actor: "fixture",
            logger: Logger(label: "test"), output: RecordedOutput())
        _ = try writer.buildReports(for: BillingPeriod(Self.month)!)
        accounts = try writer.portalAccounts()
        for (email, district, admin) in [
            ("rk@stockholm.se", "RK", false), ("sk@stockholm.se", "SK", false), ("off@stockholm.se", "RK", false), ("admin@stockholm.se", nil, true),
        ] {
            let invitation = try writer.addPortalUser(email: email, district: district, admin: admin)
            _ = try accounts.redeem(
                tokenDigest: SubletApp.tokenDigest(invitation.token), passwordHash: Bcrypt4.hash(Self.password),
                now: MovableClock.start.formatted(.iso8601))
        }
        pendingToken = try writer.addPortalUser(email: "new@stockholm.se", district: "SK", admin: false).token
        let reader = try writer.opening(path, access: .readOnly)
        let clock = self.clock
        state = try PortalState(app: reader, accounts: accounts, now: { clock.now })
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Runs `body` against the portal's router in process.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let application = Application(router: PortalRoutes.router(state))
        try await application.test(.router, body)
    }
}

/// A clock the tests move forward (session expiry, lockouts).
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    static let start = Date(timeIntervalSince1970: 1_796_000_000)
    private var current = start
    var now: Date { lock.withLock { current } }
    func advance(minutes: Double) { lock.withLock { current = current.addingTimeInterval(minutes * 60) } }
}

/// What a test client does as a browser: keeps cookies, reads forms' tokens.
struct Browser {
    var cookies: [String: String] = [:]

    var cookieHeader: HTTPFields {
        guard !cookies.isEmpty else { return [:] }
        return [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
    }

    mutating func take(_ response: TestResponse) {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || field.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    mutating func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader, body: nil)
        take(response)
        return response
    }

    mutating func post(_ client: any TestClientProtocol, _ uri: String, _ form: [(String, String)]) async throws -> TestResponse {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = form.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        take(response)
        return response
    }

    /// Logs in through the form, as a browser would; the response of the POST.
    mutating func logIn(_ client: any TestClientProtocol, _ email: String, _ password: String = PortalFixture.password) async throws -> TestResponse {
        let form = try await get(client, "/logga-in")
        return try await post(client, "/logga-in", [("email", email), ("password", password), ("csrf", Self.formToken(form))])
    }

    static func formToken(_ response: TestResponse) -> String {
        let html = String(buffer: response.body)
        guard let range = html.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression) else { return "" }
        return String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

/// Test passwords hashed at bcrypt's lowest cost, to keep the suite fast.
enum Bcrypt4 {
    static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: 4) }
}
