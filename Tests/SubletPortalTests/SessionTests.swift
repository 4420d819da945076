import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
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
