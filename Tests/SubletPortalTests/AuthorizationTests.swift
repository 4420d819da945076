import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SubletPortal
import SubletStorage
import Testing

/// Every route and download, asked by an anonymous visitor, an officer of RK, an officer of SK,
/// a disabled account and an administrator: the status each gets, and not one byte of a district
/// it may not read (issue #11 §3).
@Suite struct AuthorizationTests {
    enum Visitor: String, CaseIterable {
        case anonymous, rk, sk, disabled, admin

        var email: String? {
            switch self {
            case .anonymous: nil
            case .rk: "rk@stockholm.se"
            case .sk: "sk@stockholm.se"
            case .disabled: "off@stockholm.se"
            case .admin: "admin@stockholm.se"
            }
        }

        /// The districts whose data it may see.
        var reads: Set<String> {
            switch self {
            case .anonymous, .disabled: []
            case .rk: ["RK"]
            case .sk: ["SK"]
            case .admin: ["RK", "SK"]
            }
        }
    }

    static func routes(_ district: String) -> [String] {
        let month = PortalFixture.month
        return [
            "/sdf/\(district)", "/sdf/\(district)/avstamning/\(month)", "/sdf/\(district)/avgifter", "/sdf/\(district)/indikatorer",
            "/sdf/\(district)/indikatorer?tertial=2026-T3", "/sdf/\(district)/forverkande",
            "/sdf/\(district)/avstamning/\(month)/avstamning-\(district)-\(month).csv",
            "/sdf/\(district)/avstamning/\(month)/avstamning-\(district)-\(month).html",
        ]
    }

    @Test(arguments: Visitor.allCases)
    func everyRouteAnswersOnlyWhatTheVisitorMayRead(visitor: Visitor) async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            if let email = visitor.email {
                let login = try await browser.logIn(client, email)
                #expect(login.status == .seeOther, "\(email) logs in")
            }
            if visitor == .disabled { try fixture.accounts.disable(email: "off@stockholm.se") }
            for district in ["RK", "SK"] {
                for route in Self.routes(district) {
                    let response = try await browser.get(client, route)
                    let body = String(buffer: response.body)
                    switch visitor {
                    case .anonymous, .disabled:
                        #expect(response.status == .seeOther, "\(visitor) \(route)")
                        #expect(response.headers[.location] == "/logga-in")
                    default:
                        #expect(response.status == (visitor.reads.contains(district) ? .ok : .forbidden), "\(visitor) \(route)")
                    }
                    for (other, markers) in PortalFixture.markers where !visitor.reads.contains(other) {
                        for marker in markers { #expect(!body.contains(marker), "\(visitor) \(route) shows \(other)'s \(marker)") }
                    }
                    if visitor.reads.contains(district), route.hasSuffix(".csv") {
                        #expect(body.contains(PortalFixture.markers[district]![0]), "\(route) is the district's own report")
                        #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                    }
                }
            }
            let home = try await browser.get(client, "/")
            switch visitor {
            case .anonymous, .disabled: #expect(home.headers[.location] == "/logga-in")
            case .rk: #expect(home.headers[.location] == "/sdf/RK")
            case .sk: #expect(home.headers[.location] == "/sdf/SK")
            case .admin:
                #expect(home.status == .ok)
                #expect(String(buffer: home.body).contains("/sdf/RK") && String(buffer: home.body).contains("/sdf/SK"))
            }
        }
    }

    /// Changed path parameters: another district's file under one's own district, `../`, encoded
    /// slashes and dots, a lower-case code, a month that is not one, a NUL.
    @Test func changedPathsReachNothingOfAnotherDistrict() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            _ = try await browser.logIn(client, "rk@stockholm.se")
            let month = PortalFixture.month
            for path in [
                "/sdf/RK/avstamning/\(month)/avstamning-SK-\(month).csv",
                "/sdf/RK/avstamning/\(month)/..%2F..%2FSK%2F\(month)%2Favstamning-SK-\(month).csv",
                "/sdf/RK/avstamning/\(month)/../../SK/\(month)/avstamning-SK-\(month).csv",
                "/sdf/RK/avstamning/..%2F..%2FSK%2F\(month)/avstamning-SK-\(month).csv",
                "/sdf/RK/avstamning/%2e%2e/avstamning-SK-\(month).csv",
                "/sdf/RK/../SK/avstamning/\(month)",
                "/sdf/rk", "/sdf/sk", "/sdf/S%4B", "/sdf/SK%00", "/sdf/RK%2F..%2FSK",
                "/sdf/RK/avstamning/2026-13", "/sdf/RK/avstamning/2026-1", "/sdf/RK/avstamning/\(month)/sublet.sqlite",
                "/sdf/RK/avstamning/\(month)/..%2F..%2F..%2Fsublet.sqlite", "/static/..%2F..%2Fportal.sqlite",
            ] {
                let response = try await browser.get(client, path)
                let body = String(buffer: response.body)
                #expect([.notFound, .forbidden, .seeOther].contains(response.status) || !body.contains("SK-OBJ-9913"), "\(path): \(response.status)")
                for marker in PortalFixture.markers["SK"]! { #expect(!body.contains(marker), "\(path) shows \(marker)") }
                #expect(!body.contains("SQLite format"), "\(path) serves a database")
            }
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            var responses = [try await browser.get(client, "/logga-in"), try await browser.get(client, "/"), try await browser.get(client, "/nope")]
            responses.append(try await browser.logIn(client, "rk@stockholm.se"))
            responses += [
                try await browser.get(client, "/sdf/RK/avstamning/\(PortalFixture.month)"), try await browser.get(client, "/sdf/SK"),
                try await browser.get(client, "/healthz"),
            ]
            for response in responses {
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
        }
    }
}
