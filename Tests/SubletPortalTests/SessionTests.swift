import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import SubletPortal
import SubletStorage
import Testing

/// Sessions and logins as an attacker would try them (issue #11 §3).
@Suite struct SessionTests {
    @Test func aSessionIdTheClientChoseIsNeverTheOneIssued() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            browser.cookies["sublet_session"] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            #expect(try await browser.get(client, "/sdf/RK").headers[.location] == "/logga-in")
            let login = try await browser.logIn(client, "rk@stockholm.se")
            let cookie = login.headers[values: .setCookie].first { $0.hasPrefix("sublet_session=") } ?? ""
            #expect(!cookie.contains("0123456789abcdef"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(browser.cookies["sublet_session"]?.count == 64)
            #expect(try await browser.get(client, "/sdf/RK").status == .ok)
        }
    }

    @Test func aSessionEndsAfterItsLifetime() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            _ = try await browser.logIn(client, "rk@stockholm.se")
            fixture.clock.advance(minutes: 29)
            #expect(try await browser.get(client, "/sdf/RK").status == .ok)
            fixture.clock.advance(minutes: 2)
            #expect(try await browser.get(client, "/sdf/RK").headers[.location] == "/logga-in")
        }
    }

    @Test func aDisabledAccountsCookieStopsWorkingAtOnce() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            _ = try await browser.logIn(client, "off@stockholm.se")
            #expect(try await browser.get(client, "/sdf/RK").status == .ok)
            try fixture.accounts.disable(email: "off@stockholm.se")
            #expect(try await browser.get(client, "/sdf/RK").headers[.location] == "/logga-in")
            #expect(try await browser.logIn(client, "off@stockholm.se").status == .unauthorized)
        }
    }

    @Test func logoutNeedsTheSessionsFormToken() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            _ = try await browser.logIn(client, "rk@stockholm.se")
            let page = try await browser.get(client, "/sdf/RK")
            // A forged form (another site's, or no token) is refused and the session lives on.
            #expect(try await browser.post(client, "/logga-ut", [("csrf", "forged")]).status == .forbidden)
            #expect(try await browser.post(client, "/logga-ut", []).status == .forbidden)
            #expect(try await browser.get(client, "/sdf/RK").status == .ok)
            let out = try await browser.post(client, "/logga-ut", [("csrf", Browser.formToken(page))])
            #expect(out.status == .seeOther)
            #expect(browser.cookies["sublet_session"] == nil)
            #expect(try await browser.get(client, "/sdf/RK").headers[.location] == "/logga-in")
        }
    }

    @Test func theLoginFormNeedsItsOwnToken() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            let forged = try await browser.post(
                client, "/logga-in", [("email", "rk@stockholm.se"), ("password", PortalFixture.password), ("csrf", "x")])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies["sublet_session"] == nil)
        }
    }

    @Test func failedLoginsLockTheAccountAndTheAddressForAWhile() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            for _ in 1...5 { #expect(try await browser.logIn(client, "rk@stockholm.se", "fel lösenord igen").status == .unauthorized) }
            // Locked: even the right password is refused, and says for how long.
            let locked = try await browser.logIn(client, "rk@stockholm.se")
            #expect(locked.status == .tooManyRequests)
            #expect(String(buffer: locked.body).contains("Försök igen om 15 minuter"))
            // From the same address, another account is locked too (the address's count).
            #expect(try await browser.logIn(client, "sk@stockholm.se").status == .tooManyRequests)
            fixture.clock.advance(minutes: 16)
            #expect(try await browser.logIn(client, "rk@stockholm.se").status == .seeOther)
            let events = try fixture.accounts.events().map(\.event)
            #expect(events.filter { $0 == "login_failed" }.count == 5)
            #expect(events.contains("login_locked"))
            #expect(events.first == "login")
        }
    }

    @Test func anUnknownAccountAndAWrongPasswordGetTheSameAnswer() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            let unknown = try await browser.logIn(client, "nobody@stockholm.se")
            let wrong = try await browser.logIn(client, "sk@stockholm.se", "inte rätt lösenord")
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(String(buffer: unknown.body).contains("Fel e-postadress eller lösenord."))
            #expect(String(buffer: wrong.body).contains("Fel e-postadress eller lösenord."))
        }
    }

    @Test func aOneTimeLinkSetsThePasswordOnce() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            let form = try await browser.get(client, "/losenord?token=\(fixture.pendingToken)")
            #expect(form.status == .ok)
            let token = Browser.formToken(form)
            let short = try await browser.post(
                client, "/losenord", [("token", fixture.pendingToken), ("password", "kort"), ("repeat", "kort"), ("csrf", token)])
            #expect(short.status == .badRequest)
            let again = Browser.formToken(short)
            let chosen = "ett långt nytt lösenord"
            let set = try await browser.post(
                client, "/losenord", [("token", fixture.pendingToken), ("password", chosen), ("repeat", chosen), ("csrf", again)])
            #expect(set.status == .seeOther)
            #expect(try await browser.get(client, "/losenord?token=\(fixture.pendingToken)").status == .notFound)
            #expect(try await browser.logIn(client, "new@stockholm.se", chosen).status == .seeOther)
            #expect(try await browser.get(client, "/sdf/SK").status == .ok)
            #expect(try fixture.accounts.events().map(\.event).contains("password_set"))
        }
    }

    @Test func loginsAndDownloadsAreAudited() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            _ = try await browser.logIn(client, "rk@stockholm.se")
            let name = "avstamning-RK-\(PortalFixture.month).csv"
            _ = try await browser.get(client, "/sdf/RK/avstamning/\(PortalFixture.month)/\(name)")
            let events = try fixture.accounts.events()
            #expect(events.first?.event == "download" && events.first?.detail == name && events.first?.district == "RK")
            #expect(events.contains { $0.event == "login" && $0.email == "rk@stockholm.se" && !$0.address.isEmpty })
        }
    }
}

@Suite struct PageTests {
    @Test func theHeaderNamesTheAccountAndItsDistrictOrAdministrator() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var officer = Browser(), admin = Browser()
            _ = try await officer.logIn(client, "rk@stockholm.se")
            _ = try await admin.logIn(client, "admin@stockholm.se")
            let rk = String(buffer: try await officer.get(client, "/sdf/RK").body)
            #expect(rk.contains("<span>Inloggad som rk@stockholm.se (RK)</span>"))
            let all = String(buffer: try await admin.get(client, "/").body)
            #expect(all.contains("<span>Inloggad som admin@stockholm.se (administratör)</span>"), "\(all)")
        }
    }

    @Test func theLoginPageIsALabelledFormWithoutScriptOrAnEmptyAlert() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            let html = String(buffer: try await browser.get(client, "/logga-in").body)
            #expect(html.contains(#"<html lang="sv">"#))
            #expect(html.contains(#"<label for="email">"#) && html.contains(#"<label for="password">"#))
            #expect(!html.contains("<script") && !html.contains("style="))
            #expect(!html.contains(#"role="alert""#))
            let failed = String(buffer: try await browser.logIn(client, "rk@stockholm.se", "fel fel fel fel").body)
            #expect(failed.contains(#"<p class="error" role="alert">Fel e-postadress eller lösenord.</p>"#))
        }
    }

    @Test func aDistrictsPagesShowItsWatchedNoticesAndChartsWithoutAnIdentityNumber() async throws {
        let fixture = try PortalFixture()
        try await fixture.test { client in
            var browser = Browser()
            _ = try await browser.logIn(client, "rk@stockholm.se")
            let watch = String(buffer: try await browser.get(client, "/sdf/RK/forverkande").body)
            #expect(watch.contains("Rut Rinkebysson") && watch.contains("<caption>Avier på bevakningslistan</caption>"), "\(watch)")
            #expect(!watch.contains("19850312") && !watch.contains("850312-1231"))
            let months = String(buffer: try await browser.get(client, "/sdf/RK").body)
            #expect(months.contains(#"<a href="/sdf/RK/avstamning/2026-11">2026-11</a>"#))
            let report = String(buffer: try await browser.get(client, "/sdf/RK/avstamning/2026-11").body)
            #expect(report.contains("<caption>Hyresavtal som inte stämmer, 2026-11</caption>") && report.contains("RK-OBJ-7781"))
            #expect(report.contains(#"href="/sdf/RK/avstamning/2026-11/avstamning-RK-2026-11.csv""#))
            let indicators = try await browser.get(client, "/sdf/RK/indikatorer?tertial=2026-T3")
            #expect(indicators.status == .ok)
            #expect(String(buffer: indicators.body).contains("<svg") && String(buffer: indicators.body).contains("Utfärdade avier"))
            #expect(try await browser.get(client, "/sdf/RK/indikatorer?tertial=2026-T7").status == .notFound)
            #expect(try await browser.get(client, "/sdf/RK/indikatorer?tertial=2026").status == .notFound)
            #expect(try await browser.get(client, "/sdf/RK/avgifter").status == .ok)
        }
    }
}

@Suite struct MetricsTests {
    @Test func metricsAreServedInPrometheusTextFormat() async throws {
        let registry = PrometheusCollectorRegistry()
        let descriptor = MetricNameDescriptor(
            namespace: "sublet", subsystem: "portal", metricName: "test", unitName: "total", helpText: "A counter for the test.")
        registry.makeCounter(descriptor: descriptor).increment(by: Int64(3))
        let application = Application(router: PortalRoutes.metricsRouter(registry))
        try await application.test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(String(buffer: response.body).contains("sublet_portal_test_total 3"))
        }
    }
}
