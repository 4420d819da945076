/// Who may read what on the district portal (issue #11): a district officer their own district's
/// data, an administrator every district's, a disabled account nothing. The one rule every page
/// and download of the portal asks.
public enum PortalAccess {
    /// Whether an account (`district`, `isAdmin`, `disabled`) may read `requested`'s data.
    public static func mayRead(_ requested: String, district: String?, isAdmin: Bool, disabled: Bool) -> Bool {
        guard !disabled else { return false }
        if isAdmin { return true }
        guard let district else { return false }
        return district == requested
    }

    /// An e-mail address as accounts are keyed: trimmed and lower-cased; `nil` unless it has one
    /// `@` with text on both sides, a dot in the domain, and no spaces or control characters.
    public static func normalisedEmail(_ text: String) -> String? {
        let email = text.trimmingASCIIWhitespace().lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            email.count <= 254, email.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
        else { return nil }
        return email
    }

    /// A password the portal accepts: 12 to 200 characters, not all the same character.
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < 12 { return "Lösenordet måste ha minst 12 tecken." }
        if password.count > 200 { return "Lösenordet får ha högst 200 tecken." }
        if Set(password).count < 4 { return "Lösenordet måste innehålla fler olika tecken." }
        return nil
    }
}
