import Foundation
import SubletDomain
import TOMLKit

extension Settings {
    /// The district portal (`portal.*`, issue #11).
    public struct Portal: Sendable, Equatable {
        /// Where it listens (`portal.listen`): loopback only, behind a TLS-terminating proxy.
        public var listen = "127.0.0.1:8080"
        /// Where `/metrics` answers in Prometheus's text format (`portal.metrics_listen`), apart
        /// from the pages: loopback, for the monitoring agent.
        public var metricsListen = "127.0.0.1:9180"
        /// The portal's own accounts database (`portal.accounts`); relative paths are to the
        /// configuration file's folder.
        public var accounts = "portal.sqlite"
        /// A session ends this long after it began (`portal.session_minutes`).
        public var sessionMinutes = 30
        /// Failed logins allowed per account, and per address, before a lockout (`portal.login_attempts`).
        public var loginAttempts = 5
        /// How long a lockout lasts (`portal.lockout_minutes`).
        public var lockoutMinutes = 15
        /// Cookies marked `Secure` (`portal.secure_cookies`); off only for plain-HTTP tests on loopback.
        public var secureCookies = true
        /// Where a one-time password link points (`portal.public_url`).
        public var publicURL = "https://sublet.example.invalid"
        /// bcrypt's cost (`portal.bcrypt_cost`): 2^cost rounds.
        public var bcryptCost = 12
    }

    static let portalKeys = [
        "portal.listen", "portal.metrics_listen", "portal.accounts", "portal.session_minutes", "portal.login_attempts", "portal.lockout_minutes",
        "portal.secure_cookies", "portal.public_url", "portal.bcrypt_cost",
    ]

    /// Sets a `portal.*` key; `false` when it is unknown.
    mutating func setPortal(_ key: String, to value: any TOMLValueConvertible, base: String) throws(FieldError) -> Bool {
        switch key {
        case "portal.listen": portal.listen = try Self.address(value, example: "127.0.0.1:8080")
        case "portal.metrics_listen": portal.metricsListen = try Self.address(value, example: "127.0.0.1:9180")
        case "portal.accounts": portal.accounts = try Self.path(value, base)
        case "portal.session_minutes": portal.sessionMinutes = try Self.integer(value, in: 1...1440)
        case "portal.login_attempts": portal.loginAttempts = try Self.integer(value, in: 1...100)
        case "portal.lockout_minutes": portal.lockoutMinutes = try Self.integer(value, in: 1...1440)
        case "portal.secure_cookies": portal.secureCookies = try Self.boolean(value)
        case "portal.public_url":
            let text = try Self.string(value)
            guard text.hasPrefix("https://") || text.hasPrefix("http://") else { throw FieldError("expected an http(s):// address") }
            portal.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        case "portal.bcrypt_cost": portal.bcryptCost = try Self.integer(value, in: 4...31)
        default: return false
        }
        return true
    }

    func portalValue(of key: String) -> String? {
        switch key {
        case "portal.listen": Self.quoted(portal.listen)
        case "portal.metrics_listen": Self.quoted(portal.metricsListen)
        case "portal.accounts": Self.quoted(Self.absolute(portal.accounts))
        case "portal.session_minutes": String(portal.sessionMinutes)
        case "portal.login_attempts": String(portal.loginAttempts)
        case "portal.lockout_minutes": String(portal.lockoutMinutes)
        case "portal.secure_cookies": String(portal.secureCookies)
        case "portal.public_url": Self.quoted(portal.publicURL)
        case "portal.bcrypt_cost": String(portal.bcryptCost)
        default: nil
        }
    }

    /// A `host:port` to listen on, as written.
    static func address(_ value: any TOMLValueConvertible, example: String) throws(FieldError) -> String {
        let text = try string(value)
        guard hostAndPort(text) != nil else { throw FieldError("expected host:port, e.g. \"\(example)\"") }
        return text
    }

    /// `host:port` split, or `nil`.
    public static func hostAndPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }
}
