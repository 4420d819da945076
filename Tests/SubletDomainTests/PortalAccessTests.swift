import SubletDomain
import Testing

/// The portal's one access rule, over every kind of account and every district asked for.
@Suite struct PortalAccessTests {
    static let districts = ["RK", "SK", "SM", ""]
    static let accounts: [(district: String?, isAdmin: Bool, disabled: Bool)] = [
        ("RK", false, false), ("SK", false, false), ("RK", false, true), (nil, true, false), (nil, true, true), (nil, false, false),
        ("RK", true, false),
    ]

    @Test(arguments: districts)
    func anAccountReadsItsOwnDistrictOrEveryOneAsAdministratorAndNothingWhenDisabled(requested: String) {
        for account in Self.accounts {
            let allowed = PortalAccess.mayRead(requested, district: account.district, isAdmin: account.isAdmin, disabled: account.disabled)
            let expected = !account.disabled && (account.isAdmin || (account.district != nil && account.district == requested))
            #expect(allowed == expected, "\(account) asking for \(requested)")
        }
    }

    @Test(
        arguments: [
            (" Anna.Berg@Stockholm.SE ", "anna.berg@stockholm.se"), ("a@b.se", "a@b.se"), ("anna", nil), ("@b.se", nil), ("a@", nil),
            ("a@b", nil), ("a@.se", nil), ("a@b.", nil), ("a b@c.se", nil), ("a@b@c.se", nil), ("a\u{0}@b.se", nil),
        ] as [(String, String?)])
    func anEmailIsKeyedTrimmedAndLowerCased(text: String, expected: String?) {
        #expect(PortalAccess.normalisedEmail(text) == expected)
    }

    @Test(arguments: [("kort", false), ("aaaaaaaaaaaaaaaa", false), ("ett långt lösenord", true), (String(repeating: "ab1-", count: 51), false)])
    func aPasswordIsLongAndVaried(password: String, accepted: Bool) {
        #expect((PortalAccess.passwordProblem(password) == nil) == accepted)
    }
}
