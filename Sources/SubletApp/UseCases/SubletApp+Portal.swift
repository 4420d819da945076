import Foundation
import HummingbirdBcrypt
import InvoiceFeed
import SubletDomain
import SubletStorage

/// A portal account just created or reset, with the one-time link that sets its password:
/// printed once to the administrator, never stored (only its digest is).
public struct PortalInvitation: Sendable, Equatable {
    public var account: PortalAccount
    public var token: String
    public var link: String
    public var expiresAt: String
}

// The district portal's accounts (issue #11): `sublet portal user …`.
extension SubletApp {
    /// How long a one-time password link stays valid.
    public static let portalTokenHours = 72

    /// The portal's accounts database (`portal.accounts`).
    public func portalAccounts() throws -> PortalAccounts { try PortalAccounts.open(at: settings.portal.accounts) }

    /// A new account for a district's officer (`district`) or an administrator.
    public func addPortalUser(email text: String, district: String?, admin: Bool) throws -> PortalInvitation {
        guard let email = PortalAccess.normalisedEmail(text) else {
            throw PortalAccountError("'\(Quote.escapingControlCharacters(text))' is not an e-mail address")
        }
        guard admin != (district != nil) else { throw PortalAccountError("give either --district CODE or --admin") }
        if let district, try !database.districts().contains(where: { $0.code == district }) {
            throw PortalAccountError("no district \(district) in the register (sublet district list)")
        }
        let (token, digest, expires) = newToken()
        let account = try portalAccounts().add(
            email: email, district: district, isAdmin: admin, tokenDigest: digest, expiresAt: expires, context: context)
        return PortalInvitation(account: account, token: token, link: passwordLink(token), expiresAt: expires)
    }

    /// Clears an account's password and makes a new one-time link (the account is enabled again).
    public func resetPortalUser(email text: String) throws -> PortalInvitation {
        let email = PortalAccess.normalisedEmail(text) ?? text
        let accounts = try portalAccounts()
        let (token, digest, expires) = newToken()
        try accounts.reset(email: email, tokenDigest: digest, expiresAt: expires)
        guard let account = try accounts.account(email: email) else { throw PortalAccountError("no account \(email)") }
        return PortalInvitation(account: account, token: token, link: passwordLink(token), expiresAt: expires)
    }

    public func disablePortalUser(email text: String) throws {
        try portalAccounts().disable(email: PortalAccess.normalisedEmail(text) ?? text)
    }

    public func portalUsers() throws -> [PortalAccount] { try portalAccounts().accounts() }

    /// An account with a password chosen here (the demo's accounts): a random one of 20 letters
    /// and digits, hashed with bcrypt at `portal.bcrypt_cost`, returned to be printed once.
    public func addPortalUserWithPassword(email: String, district: String?, admin: Bool) throws -> (PortalAccount, password: String) {
        let invitation = try addPortalUser(email: email, district: district, admin: admin)
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let password = String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
        let hash = Self.hashPassword(password, cost: settings.portal.bcryptCost)
        guard
            let account = try portalAccounts().redeem(
                tokenDigest: Self.tokenDigest(invitation.token), passwordHash: hash, now: clock.now.formatted(.iso8601))
        else {
            throw PortalAccountError("the new account \(email) could not be given its password")
        }
        return (account, password)
    }

    /// bcrypt, 2^cost rounds (the portal's passwords).
    public static func hashPassword(_ password: String, cost: Int) -> String { Bcrypt.hash(password, cost: UInt8(cost)) }

    /// Whether `password` is the one `hash` was made from.
    public static func verifyPassword(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A one-time token (`Secret`), the digest the database keeps, and when it expires (UTC).
    func newToken() -> (token: String, digest: String, expiresAt: String) {
        let token = Secret.make()
        let expires = clock.now.addingTimeInterval(Double(Self.portalTokenHours) * 3600).formatted(.iso8601)
        return (token, Self.tokenDigest(token), expires)
    }

    /// What the accounts database keeps of a token.
    public static func tokenDigest(_ token: String) -> String { SHA256Digest.hex(of: Array(token.utf8)) }

    func passwordLink(_ token: String) -> String { settings.portal.publicURL + "/losenord?token=" + token }
}
