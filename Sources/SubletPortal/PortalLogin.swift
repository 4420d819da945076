import Foundation
import Hummingbird
import SubletApp
import SubletDomain
import SubletStorage

/// Logging in and out, and choosing a password through a one-time link. The login and password
/// forms carry a token that must equal the one in a cookie set with the form (no session yet);
/// logout carries the session's own token.
extension PortalRoutes {
    struct LoginForm: Decodable {
        var email: String?
        var password: String?
        var csrf: String?
    }

    struct PasswordForm: Decodable {
        var token: String?
        var password: String?
        var repeated: String?
        var csrf: String?

        enum CodingKeys: String, CodingKey {
            case token, password, csrf
            case repeated = "repeat"
        }
    }

    struct LogoutForm: Decodable {
        var csrf: String?
    }

    static func loginForm(_ state: PortalState, _ request: Request, message: String?, email: String, status: HTTPResponse.Status = .ok) -> Response {
        form(state, "login", ["title": "Logga in", "email": email], message: message, status: status)
    }

    /// A page with a form of its own (no session yet): a new token in the form and in a cookie
    /// set with it, which the POST must bring back; `message`, if any, as the page's alert.
    static func form(_ state: PortalState, _ name: String, _ values: [String: Any], message: String?, status: HTTPResponse.Status) -> Response {
        let token = Secret.make()
        var values = values
        values["formToken"] = token
        if let message { values["message"] = message }
        var response = page(state.pages, name, status: status, values)
        response.setCookie(cookie(formCookie, token, state))
        return response
    }

    static func login(_ state: PortalState, _ request: Request, _ context: PortalContext) async throws -> Response {
        let form = try await decode(LoginForm.self, request, context)
        try checkFormToken(form.csrf, request)
        let address = request.clientAddress(context)
        let typed = PortalAccess.normalisedEmail(form.email ?? "") ?? String((form.email ?? "").prefix(254))
        let now = state.now()
        for key in ["account:" + typed, "address:" + address] {
            if let until = await state.limiter.lockedUntil(key, now: now) {
                try state.accounts.record(
                    PortalEvent(at: timestamp(state), event: "login_locked", email: typed, district: nil, address: address, detail: key))
                let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
                return loginForm(
                    state, request, message: "För många misslyckade inloggningar. Försök igen om \(minutes) minuter.", email: "",
                    status: .tooManyRequests)
            }
        }
        let credentials = try state.accounts.credentials(email: typed)
        let password = form.password ?? ""
        let stored = credentials?.1
        let hash = stored ?? state.decoy
        let matches = await offload { SubletApp.verifyPassword(password, hash: hash) }
        guard let account = credentials?.0, stored != nil, matches, !account.disabled else {
            await state.limiter.fail("account:" + typed, now: now)
            await state.limiter.fail("address:" + address, now: now)
            try state.accounts.record(
                PortalEvent(at: timestamp(state), event: "login_failed", email: typed, district: credentials?.0.district, address: address))
            return loginForm(state, request, message: "Fel e-postadress eller lösenord.", email: typed, status: .unauthorized)
        }
        await state.limiter.succeed("account:" + typed)
        let (id, _) = await state.sessions.start(accountID: account.id, replacing: request.cookies[sessionCookie]?.value, now: now)
        try state.accounts.record(
            PortalEvent(at: timestamp(state), event: "login", email: account.email, district: account.district, address: address))
        var response = Response.redirect(to: "/")
        response.setCookie(cookie(sessionCookie, id, state, maxAge: Int(state.sessions.lifetime)))
        response.setCookie(cookie(formCookie, "", state, maxAge: 0))
        return response
    }

    static func logout(_ state: PortalState, _ request: Request, _ context: PortalContext) async throws -> Response {
        let form = try await decode(LogoutForm.self, request, context)
        guard let (account, id, session) = try await signedIn(state, request) else { return Response.redirect(to: "/logga-in") }
        guard let csrf = form.csrf, Secret.equal(csrf, session.csrf) else {
            throw HTTPError(.forbidden, message: "Formuläret har gått ut. Ladda om sidan och försök igen.")
        }
        await state.sessions.end(id)
        try state.accounts.record(
            PortalEvent(
                at: timestamp(state), event: "logout", email: account.email, district: account.district, address: request.clientAddress(context)))
        var response = Response.redirect(to: "/logga-in")
        response.setCookie(cookie(sessionCookie, "", state, maxAge: 0))
        return response
    }

    static func passwordForm(
        _ state: PortalState, _ request: Request, token: String, message: String?, status: HTTPResponse.Status = .ok
    ) throws
        -> Response
    {
        guard try state.accounts.tokenIsValid(digest: SubletApp.tokenDigest(token), now: timestamp(state)) else {
            throw HTTPError(.notFound, message: "Länken gäller inte längre. Be administratören om en ny.")
        }
        return form(state, "password", ["title": "Välj lösenord", "token": token], message: message, status: status)
    }

    static func choosePassword(_ state: PortalState, _ request: Request, _ context: PortalContext) async throws -> Response {
        let form = try await decode(PasswordForm.self, request, context)
        try checkFormToken(form.csrf, request)
        let token = form.token ?? "", password = form.password ?? ""
        if let problem = PortalAccess.passwordProblem(password) {
            return try passwordForm(state, request, token: token, message: problem, status: .badRequest)
        }
        guard password == form.repeated else {
            return try passwordForm(state, request, token: token, message: "Lösenorden är inte lika.", status: .badRequest)
        }
        let cost = state.bcryptCost
        let hash = await offload { SubletApp.hashPassword(password, cost: cost) }
        guard let account = try state.accounts.redeem(tokenDigest: SubletApp.tokenDigest(token), passwordHash: hash, now: timestamp(state)) else {
            throw HTTPError(.notFound, message: "Länken gäller inte längre. Be administratören om en ny.")
        }
        try state.accounts.record(
            PortalEvent(
                at: timestamp(state), event: "password_set", email: account.email, district: account.district, address: request.clientAddress(context)
            ))
        return Response.redirect(to: "/logga-in")
    }

    // MARK: Helpers

    static func decode<Form: Decodable>(_ type: Form.Type, _ request: Request, _ context: PortalContext) async throws -> Form {
        let body = try await request.body.collect(upTo: 16_384)
        do {
            return try URLEncodedFormDecoder().decode(type, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "Formuläret gick inte att läsa.")
        }
    }

    static func checkFormToken(_ sent: String?, _ request: Request) throws {
        guard let sent, let expected = request.cookies[formCookie]?.value, !expected.isEmpty, Secret.equal(sent, expected) else {
            throw HTTPError(.forbidden, message: "Formuläret har gått ut. Ladda om sidan och försök igen.")
        }
    }

    static func cookie(_ name: String, _ value: String, _ state: PortalState, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: state.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// bcrypt's quarter of a second off the server's threads.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in DispatchQueue.global().async { continuation.resume(returning: work()) } }
    }
}

/// The report files `sublet reports build` wrote for a district and month, by the names it gives
/// them; nothing else under the outbox is ever served.
struct ReportFiles {
    let outbox: String

    struct File {
        var name: String
        var path: String
        var contentType: String
        var kind: String
    }

    /// The months with a report folder, newest first.
    func months(district: String) -> [BillingPeriod] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(outbox)/\(district)")) ?? []
        return names.compactMap { $0.count == 7 ? BillingPeriod($0) : nil }.sorted(by: >)
    }

    func expected(district: String, month: BillingPeriod) -> [File] {
        let base = ReconciliationReports.fileBase(district: district, period: month)
        return [
            File(
                name: base + ".html", path: "\(outbox)/\(district)/\(month)/\(base).html", contentType: "text/html; charset=utf-8", kind: "webbsida"),
            File(
                name: base + ".csv", path: "\(outbox)/\(district)/\(month)/\(base).csv", contentType: "text/csv; charset=utf-8",
                kind: "kalkylblad, CSV"),
        ]
    }

    func existing(district: String, month: BillingPeriod) -> [File] {
        expected(district: district, month: month).filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    func file(named name: String, district: String, month: BillingPeriod) -> File? {
        existing(district: district, month: month).first { $0.name == name }
    }
}
