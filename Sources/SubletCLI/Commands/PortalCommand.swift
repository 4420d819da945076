import ArgumentParser
import SubletApp
import SubletDomain
import SubletStorage

struct PortalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal",
        abstract: "The district offices' web portal (sublet-portal): its accounts and its audit log.",
        discussion: """
            Examples:
              sublet portal user add anna.berg@stockholm.se --district RK
              sublet portal user list
              sublet portal audit
            """,
        subcommands: [User.self, Audit.self]
    )

    struct User: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The portal's accounts: one per district officer, and administrators.",
            discussion: """
                A new or reset account gets a one-time link (valid 72 hours) at which its owner
                chooses a password. The link is printed once, here; it is not stored, and no
                password ever passes through this command.

                Examples:
                  sublet portal user add anna.berg@stockholm.se --district RK
                  sublet portal user add it@stockholm.se --admin
                  sublet portal user disable anna.berg@stockholm.se
                """,
            subcommands: [Add.self, List.self, Disable.self, Reset.self]
        )
    }

    struct Add: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account and print its one-time password link.",
            discussion: """
                Examples:
                  sublet portal user add anna.berg@stockholm.se --district RK
                  sublet portal user add it@stockholm.se --admin
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The officer's e-mail address (the login name).") var email: String
        @Option(help: "The district whose data the account reads.") var district: String?
        @Flag(help: "An administrator: reads every district's data.") var admin = false
        var access: SubletApp.DatabaseAccess { .readOnly }

        func run(_ app: SubletApp, _ out: Output) throws {
            let invitation = try app.addPortalUser(email: email, district: district?.uppercased(), admin: admin)
            PortalCommand.show(invitation, verb: "Added", out)
        }
    }

    struct Reset: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear an account's password (enabling it again) and print a new one-time link.",
            discussion: """
                Examples:
                  sublet portal user reset anna.berg@stockholm.se
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's e-mail address.") var email: String
        var access: SubletApp.DatabaseAccess { .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            PortalCommand.show(try app.resetPortalUser(email: email), verb: "Reset", out)
        }
    }

    struct Disable: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: it can no longer log in, and its open sessions end.",
            discussion: """
                Examples:
                  sublet portal user disable anna.berg@stockholm.se
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's e-mail address.") var email: String
        var access: SubletApp.DatabaseAccess { .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            try app.disablePortalUser(email: email)
            out.line("Disabled \(email).")
        }
    }

    struct List: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the portal's accounts.",
            discussion: """
                Examples:
                  sublet portal user list
                  sublet portal user list --json
                """)

        @OptionGroup var global: GlobalOptions
        var access: SubletApp.DatabaseAccess { .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            let accounts = try app.portalUsers()
            if out.json {
                try out.json(accounts)
                return
            }
            out.table(
                ["E-MAIL", "DISTRICT", "STATE"],
                accounts.map { account in
                    let state = account.disabled ? "disabled" : account.hasPassword ? "active" : "waiting for its password"
                    return [account.email, account.isAdmin ? "all (administrator)" : account.district ?? "", state]
                })
        }
    }

    struct Audit: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "The portal's audit log: logins, failed logins, passwords chosen and downloads, newest first.",
            discussion: """
                Examples:
                  sublet portal audit
                  sublet portal audit --limit 500 --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "How many events.") var limit = 100
        var access: SubletApp.DatabaseAccess { .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            let events = try app.portalAccounts().events(limit: limit)
            if out.json {
                try out.json(events)
                return
            }
            out.table(
                ["TIME", "EVENT", "ACCOUNT", "DISTRICT", "ADDRESS", "DETAIL"],
                events.map { [$0.at, $0.event, $0.email, $0.district ?? "", $0.address, $0.detail] })
        }
    }

    static func show(_ invitation: PortalInvitation, verb: String, _ out: Output) {
        if out.json {
            try? out.json(["email": invitation.account.email, "link": invitation.link, "expires_at": invitation.expiresAt])
            return
        }
        let scope = invitation.account.isAdmin ? "administrator" : "district \(invitation.account.district ?? "")"
        out.line("\(verb) \(invitation.account.email) (\(scope)).")
        out.line("Send this one-time link to its owner, who chooses the password there (valid until \(invitation.expiresAt)):")
        out.line("  \(invitation.link)")
    }
}
