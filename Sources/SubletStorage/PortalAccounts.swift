import Foundation
import GRDB
import SubletDomain

/// A district officer's or an administrator's account for the portal (issue #11).
public struct PortalAccount: Sendable, Equatable, Codable {
    public var id: Int64
    public var email: String
    /// The district whose data the account reads; `nil` for an administrator.
    public var district: String?
    public var isAdmin: Bool
    public var disabled: Bool
    /// Whether a password has been chosen (through the one-time link).
    public var hasPassword: Bool
    public var createdAt: String
}

/// What the portal records: a login, a failed login, a download, a password chosen.
public struct PortalEvent: Sendable, Equatable, Codable {
    public var at: String
    public var event: String
    /// As typed at the login form for a failed login; the account's otherwise.
    public var email: String
    public var district: String?
    /// The client's address.
    public var address: String
    public var detail: String

    public init(at: String, event: String, email: String, district: String?, address: String, detail: String = "") {
        self.at = at
        self.event = event
        self.email = email
        self.district = district
        self.address = address
        self.detail = detail
    }
}

/// The portal's own small database (`portal.accounts`): accounts, one-time password tokens and
/// the portal's audit log. Kept apart from the register, which the portal opens read-only: the
/// portal writes only here. Passwords are stored as bcrypt hashes, tokens as SHA-256 digests;
/// neither in clear.
public final class PortalAccounts: Sendable {
    let writer: any DatabaseWriter

    init(writer: any DatabaseWriter) { self.writer = writer }

    /// Opens (creating it, mode 0600) the accounts database at `path`.
    public static func open(at path: String) throws -> PortalAccounts {
        _ = try SubletDatabase.createFileIfMissing(path)
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(5)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
            return PortalAccounts(writer: pool)
        } catch {
            throw StorageError.wrapping(error, path: path)
        }
    }

    /// A fresh in-memory one, for tests.
    public static func inMemory() throws -> PortalAccounts {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return PortalAccounts(writer: queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL UNIQUE,
                        district TEXT,
                        isAdmin INTEGER NOT NULL,
                        passwordHash TEXT,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        createdAt TEXT NOT NULL,
                        createdBy TEXT NOT NULL,
                        CHECK (isAdmin = 1 OR district IS NOT NULL)
                    );
                    CREATE TABLE passwordToken (
                        accountId INTEGER PRIMARY KEY REFERENCES account(id),
                        digest TEXT NOT NULL UNIQUE,
                        expiresAt TEXT NOT NULL
                    );
                    CREATE TABLE portalAudit (
                        id INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        event TEXT NOT NULL,
                        email TEXT NOT NULL,
                        district TEXT,
                        address TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE TRIGGER portalAudit_append_only_update BEFORE UPDATE ON portalAudit BEGIN
                        SELECT RAISE(ABORT, 'the portal audit log is appended to, never edited');
                    END;
                    CREATE TRIGGER portalAudit_append_only_delete BEFORE DELETE ON portalAudit BEGIN
                        SELECT RAISE(ABORT, 'the portal audit log is appended to, never edited');
                    END;
                    """)
        }
        return migrator
    }

    static let columns = "id, email, district, isAdmin, disabled, passwordHash IS NOT NULL AS hasPassword, createdAt"

    static func account(_ row: Row) -> PortalAccount {
        PortalAccount(
            id: row["id"], email: row["email"], district: row["district"], isAdmin: row["isAdmin"], disabled: row["disabled"],
            hasPassword: row["hasPassword"], createdAt: row["createdAt"])
    }

    /// A new account with a one-time token (its digest) to choose the password with.
    public func add(
        email: String, district: String?, isAdmin: Bool, tokenDigest: String, expiresAt: String, context: ChangeContext
    ) throws -> PortalAccount {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE email = ?", arguments: [email]) == true {
                throw PortalAccountError("an account for \(email) exists already")
            }
            try db.execute(
                sql: "INSERT INTO account (email, district, isAdmin, createdAt, createdBy) VALUES (?, ?, ?, ?, ?)",
                arguments: [email, isAdmin ? nil : district, isAdmin, context.timestamp, context.actor])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO passwordToken (accountId, digest, expiresAt) VALUES (?, ?, ?)", arguments: [id, tokenDigest, expiresAt])
            return try Self.account(Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM account WHERE id = ?", arguments: [id])!)
        }
    }

    public func accounts() throws -> [PortalAccount] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM account ORDER BY email").map(Self.account) }
    }

    public func account(email: String) throws -> PortalAccount? {
        try writer.read { db in try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM account WHERE email = ?", arguments: [email]).map(Self.account)
        }
    }

    public func account(id: Int64) throws -> PortalAccount? {
        try writer.read { db in try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM account WHERE id = ?", arguments: [id]).map(Self.account) }
    }

    /// The account and its bcrypt hash, for a login.
    public func credentials(email: String) throws -> (PortalAccount, String?)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns), passwordHash FROM account WHERE email = ?", arguments: [email]).map {
                (Self.account($0), $0["passwordHash"])
            }
        }
    }

    /// Disables the account: it can no longer log in, and its sessions end at their next request.
    public func disable(email: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE account SET disabled = 1 WHERE email = ?", arguments: [email])
            guard db.changesCount == 1 else { throw PortalAccountError("no account \(email)") }
        }
    }

    /// Clears the password and issues a new one-time token (the account is enabled again).
    public func reset(email: String, tokenDigest: String, expiresAt: String) throws {
        try writer.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM account WHERE email = ?", arguments: [email]) else {
                throw PortalAccountError("no account \(email)")
            }
            try db.execute(sql: "UPDATE account SET passwordHash = NULL, disabled = 0 WHERE id = ?", arguments: [id])
            try db.execute(
                sql: "INSERT OR REPLACE INTO passwordToken (accountId, digest, expiresAt) VALUES (?, ?, ?)", arguments: [id, tokenDigest, expiresAt])
        }
    }

    /// Sets the password of the account whose unexpired token has this digest, and spends the
    /// token; `nil` when no such token is valid (or its account is disabled).
    public func redeem(tokenDigest: String, passwordHash: String, now: String) throws -> PortalAccount? {
        try writer.write { db in
            guard
                let id = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT t.accountId FROM passwordToken t JOIN account a ON a.id = t.accountId
                        WHERE t.digest = ? AND t.expiresAt > ? AND a.disabled = 0
                        """, arguments: [tokenDigest, now])
            else { return nil }
            try db.execute(sql: "UPDATE account SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, id])
            try db.execute(sql: "DELETE FROM passwordToken WHERE accountId = ?", arguments: [id])
            return try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM account WHERE id = ?", arguments: [id]).map(Self.account)
        }
    }

    /// Whether a token with this digest is valid now (for showing the form).
    public func tokenIsValid(digest: String, now: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT 1 FROM passwordToken t JOIN account a ON a.id = t.accountId WHERE t.digest = ? AND t.expiresAt > ? AND a.disabled = 0",
                arguments: [digest, now]) == true
        }
    }

    public func record(_ event: PortalEvent) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO portalAudit (at, event, email, district, address, detail) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.at, event.event, event.email, event.district, event.address, event.detail])
        }
    }

    /// The newest events first.
    public func events(limit: Int = 100) throws -> [PortalEvent] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM portalAudit ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                PortalEvent(
                    at: $0["at"], event: $0["event"], email: $0["email"], district: $0["district"], address: $0["address"], detail: $0["detail"])
            }
        }
    }
}

/// A portal account operation refused, in words.
public struct PortalAccountError: Error, Sendable, Equatable, CustomStringConvertible, CategorizedError {
    public var description: String
    public var category: ErrorCategory { .invalidInput }
    public init(_ description: String) { self.description = description }
}
