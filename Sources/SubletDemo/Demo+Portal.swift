import Foundation
import SubletApp
import SubletDomain
import SubletStorage

extension Demo {
    /// The districts' portal (issue #11): an account per subscribing district and an
    /// administrator, each with a password printed once, and a configuration file that starts
    /// `sublet-portal` on the demo's database, outbox and accounts (plain HTTP on loopback).
    func portal(_ app: SubletApp, into report: inout Report, timer: inout PhaseTimer) throws {
        try? FileManager.default.removeItem(atPath: app.settings.portal.accounts)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: app.settings.portal.accounts + suffix) }
        let districts = invoices > 0 ? SyntheticInvoiceFeed.subscribingDistricts : []
        report.portalUsers = try timer.time("portal accounts") {
            var users: [(email: String, district: String?, password: String)] = []
            for code in districts {
                let (account, password) = try app.addPortalUserWithPassword(email: "\(code.lowercased())@demo.invalid", district: code, admin: false)
                users.append((account.email, code, password))
            }
            let (admin, password) = try app.addPortalUserWithPassword(email: "admin@demo.invalid", district: nil, admin: true)
            users.append((admin.email, nil, password))
            return (users, "\(users.count) accounts → \(app.settings.portal.accounts)")
        }
        let config = directory + "/portal.toml"
        let text = """
            # Written by `sublet demo`: the portal on the demo's data, plain HTTP on loopback.
            [paths]
            database = "sublet.sqlite"
            outbox = "outbox"
            [payee]
            bankgiro = "\(Self.payee.bankgiro)"
            [portal]
            listen = "127.0.0.1:8080"
            accounts = "portal.sqlite"
            secure_cookies = false
            public_url = "http://127.0.0.1:8080"

            """
        try FileOutput.write(Data(text.utf8), to: config)
        report.portalConfig = config
    }
}
