import Foundation
import Hummingbird
import Prometheus
import SubletApp
import SubletDomain
import SubletStorage

/// What every request handler shares: the register (opened read-only), the portal's accounts,
/// the sessions, the login limits and the pages.
public struct PortalState: Sendable {
    let app: SubletApp
    let accounts: PortalAccounts
    let sessions: SessionStore
    let limiter: LoginLimiter
    let pages: PortalPages
    let reports = ReportCache()
    let secureCookies: Bool
    let bcryptCost: Int
    /// A hash no password matches, at the configured cost, verified for an unknown account so
    /// that its login takes as long as a known one's (bcrypt's time is set by the cost).
    let decoy: String
    let now: @Sendable () -> Date

    /// `app` must have opened the register read-only; `accounts` is the portal's own database.
    public init(app: SubletApp, accounts: PortalAccounts, now: @escaping @Sendable () -> Date = Date.init) throws {
        let portal = app.settings.portal
        self.app = app
        self.accounts = accounts
        sessions = SessionStore(lifetime: Double(portal.sessionMinutes) * 60)
        limiter = LoginLimiter(limit: portal.loginAttempts, window: Double(portal.lockoutMinutes) * 60)
        pages = try PortalPages()
        secureCookies = portal.secureCookies
        bcryptCost = portal.bcryptCost
        decoy = SubletApp.hashPassword(Secret.make(), cost: portal.bcryptCost)
        self.now = now
    }
}

/// The portal's routes. Every page under `/sdf/CODE` asks `PortalAccess.mayRead` before it reads
/// anything; path parameters are checked against what exists (a district of the register, a
/// month, one of the two report files) and never joined into a path unchecked.
public enum PortalRoutes {
    static let sessionCookie = "sublet_session"
    static let formCookie = "sublet_form"

    /// `countingRequests`: Hummingbird's request counters and timers for `/metrics` (through the
    /// metrics system the executable bootstraps).
    public static func router(_ state: PortalState, countingRequests: Bool = false) -> Router<PortalContext> {
        let router = Router(context: PortalContext.self)
        if countingRequests { router.middlewares.add(MetricsMiddleware()) }
        router.middlewares.add(SecurityHeadersMiddleware(pages: state.pages))
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/static/portal.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: PortalPages.css)))
        }
        router.get("/logga-in") { request, context in loginForm(state, request, message: nil, email: "") }
        router.post("/logga-in") { request, context in try await login(state, request, context) }
        router.post("/logga-ut") { request, context in try await logout(state, request, context) }
        router.get("/losenord") { request, _ in
            try passwordForm(state, request, token: request.uri.queryParameters["token"].map(String.init) ?? "", message: nil)
        }
        router.post("/losenord") { request, context in try await choosePassword(state, request, context) }
        router.get("/") { request, _ in
            let signedIn = try await signedIn(state, request)
            guard let (account, _, session) = signedIn else { return Response.redirect(to: "/logga-in") }
            if !account.isAdmin, let district = account.district { return Response.redirect(to: "/sdf/\(district)") }
            let districts = try state.app.database.districts().map { ["code": $0.code, "name": $0.name] }
            return page(state.pages, "districts", ["title": "Stadsdelsförvaltningar", "account": frame(account, session), "districts": districts])
        }
        router.get("/sdf/:district") { request, context in
            let (account, session, district) = try await authorised(state, request, context)
            let months = ReportFiles(outbox: state.app.settings.paths.outbox).months(district: district.code)
            return page(
                state.pages, "months",
                [
                    "title": district.code, "account": frame(account, session), "district": district.code, "districtName": district.name,
                    "months": months.map(\.description), "anyMonths": !months.isEmpty,
                ])
        }
        router.get("/sdf/:district/avstamning/:month") { request, context in
            let (account, session, district) = try await authorised(state, request, context)
            let month = try period(context)
            return try reportPage(state, account: account, session: session, district: district, month: month)
        }
        router.get("/sdf/:district/avstamning/:month/:file") { request, context in
            let (account, _, district) = try await authorised(state, request, context)
            let month = try period(context)
            let files = ReportFiles(outbox: state.app.settings.paths.outbox)
            guard let name = context.parameters.get("file"), let file = files.file(named: name, district: district.code, month: month),
                let data = FileManager.default.contents(atPath: file.path)
            else { throw HTTPError(.notFound, message: "Filen finns inte.") }
            try state.accounts.record(
                PortalEvent(
                    at: timestamp(state), event: "download", email: account.email, district: district.code, address: request.clientAddress(context),
                    detail: name))
            return Response(
                status: .ok,
                headers: [.contentType: file.contentType, .contentDisposition: "attachment; filename=\"\(name)\""],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        addDistrictPages(router, state)
        return router
    }

    /// `/metrics` in Prometheus's text format, served on its own loopback port.
    public static func metricsRouter(_ registry: PrometheusCollectorRegistry) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return router
    }

    // MARK: Who is asking

    /// The account behind the session cookie, if the session is live and the account enabled.
    static func signedIn(_ state: PortalState, _ request: Request) async throws -> (PortalAccount, String, PortalSession)? {
        guard let id = request.cookies[sessionCookie]?.value, let session = await state.sessions.session(id, now: state.now()) else { return nil }
        guard let account = try state.accounts.account(id: session.accountID), !account.disabled else {
            await state.sessions.end(id)
            return nil
        }
        return (account, id, session)
    }

    /// The signed-in account and the district of the path, which it may read; else 403 (a
    /// district it may not read), 404 (no such district) or a redirect to the login.
    static func authorised(
        _ state: PortalState, _ request: Request, _ context: PortalContext
    ) async throws -> (
        PortalAccount, PortalSession, District
    ) {
        guard let (account, _, session) = try await signedIn(state, request) else {
            throw HTTPError(.seeOther, headers: [.location: "/logga-in"])
        }
        guard let code = context.parameters.get("district"), let district = try state.app.database.districts().first(where: { $0.code == code })
        else { throw HTTPError(.notFound, message: "Det finns ingen sådan stadsdelsförvaltning.") }
        guard PortalAccess.mayRead(district.code, district: account.district, isAdmin: account.isAdmin, disabled: account.disabled) else {
            throw HTTPError(.forbidden, message: "Kontot får bara se sin egen stadsdelsförvaltnings uppgifter.")
        }
        return (account, session, district)
    }

    static func period(_ context: PortalContext) throws -> BillingPeriod {
        guard let text = context.parameters.get("month"), text.count == 7, let month = BillingPeriod(text) else {
            throw HTTPError(.notFound, message: "Det finns ingen sådan månad.")
        }
        return month
    }

    // MARK: Pages

    /// The month's report as the district received it: read back from the CSV `reports build`
    /// wrote, its summary and discrepancies rendered once per version of the file (cached while
    /// it is unchanged), so a request costs a file's status and the page's frame.
    static func reportPage(
        _ state: PortalState, account: PortalAccount, session: PortalSession, district: District, month: BillingPeriod
    ) throws
        -> Response
    {
        let existing = ReportFiles(outbox: state.app.settings.paths.outbox).existing(district: district.code, month: month)
        guard let csv = existing.first(where: { $0.name.hasSuffix(".csv") }) else {
            throw HTTPError(.notFound, message: "Rapporten för \(month) är inte byggd ännu.")
        }
        let body = try state.reports.body(at: csv.path) { rows in reportBody(state.pages, rows, district: district.code, month: month) }
        let downloads = existing.map { ["name": $0.name, "kind": $0.kind] }
        return page(
            state.pages, "report",
            [
                "title": "Avstämning \(district.code) \(month)", "account": frame(account, session), "district": district.code,
                "month": month.description, "body": body, "files": downloads, "anyFiles": !downloads.isEmpty,
            ])
    }

    static func reportBody(_ pages: PortalPages, _ rows: [ReconciliationReports.StoredRow], district: String, month: BillingPeriod) -> String {
        let counts = Dictionary(grouping: rows, by: \.code).mapValues(\.count)
        let summary = ReconciliationStatus.allCases.compactMap { status -> [String: Any]? in
            counts[status.rawValue].map { ["status": status.swedish, "count": $0] }
        }
        let expected = rows.reduce(0) { $0 + $1.expected.ore }, invoiced = rows.reduce(0) { $0 + $1.invoiced.ore }
        let discrepancies: [[String: Any]] = rows.filter { $0.code != ReconciliationStatus.ok.rawValue }.map { row in
            [
                "status": row.status, "lease": row.lease, "object": row.object, "address": row.address, "landlord": row.landlord,
                "expected": row.expected.swedish, "invoiced": row.invoiced.swedish, "difference": row.difference.swedish, "notes": row.notes,
            ]
        }
        return pages.render(
            "reportBody",
            [
                "district": district, "month": month.description, "summary": summary, "expected": Money(ore: expected).swedish,
                "invoiced": Money(ore: invoiced).swedish, "discrepancies": discrepancies, "anyDiscrepancies": !discrepancies.isEmpty,
            ])
    }

    /// The header's account and logout form. An administrator has no district: the key is left
    /// out (Mustache takes an empty string for true).
    static func frame(_ account: PortalAccount, _ session: PortalSession) -> [String: Any] {
        var values: [String: Any] = ["email": account.email, "isAdmin": account.isAdmin, "csrf": session.csrf]
        if let district = account.district { values["district"] = district }
        return values
    }

    static func page(_ pages: PortalPages, _ name: String, status: HTTPResponse.Status = .ok, _ values: [String: Any]) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: pages.render(name, values))))
    }

    static func timestamp(_ state: PortalState) -> String { state.now().formatted(.iso8601) }
}
