import ArgumentParser
import SubletDomain

/// A value the command line takes as text and the domain parses: `2026-03`, `2026-03-01`,
/// `7 850,50`, `2026-T2`, `RK`, `Parkering=450@25`.
protocol CommandLineValue: Sendable {
    static func parse(_ text: String) throws -> Self
}

/// An option or argument of a domain type. ArgumentParser hands over the text; the domain parses
/// it when the command runs, so that a bad value is a rejected input like every other (exit 65,
/// `--option: reason`, as docs/cli.md promises) rather than a usage error.
struct Parsed<Value: CommandLineValue>: ExpressibleByArgument, Sendable {
    let text: String

    init(argument: String) { text = argument }

    /// The value, or an error naming `option` and saying why the text is not one.
    func value(_ option: String) throws -> Value {
        do { return try Value.parse(text) } catch { throw OptionError(option: option, message: "\(error)") }
    }
}

extension Optional {
    /// The wrapped option's value, or `nil` when the option was not given.
    func value<Value>(_ option: String) throws -> Value? where Wrapped == Parsed<Value> {
        try map { try $0.value(option) }
    }
}

extension BillingPeriod: CommandLineValue {}

extension CalendarDate: CommandLineValue {}

extension Money: CommandLineValue {
    static func parse(_ text: String) throws -> Money { try parse(text, allowNegative: false, limit: .monthlyLimit) }
}

extension ChargeSpec: CommandLineValue {}

extension OrganisationNumber: CommandLineValue {
    static func parse(_ text: String) throws -> OrganisationNumber { try OrganisationNumber(parsing: text) }
}

extension BankgiroNumber: CommandLineValue {
    static func parse(_ text: String) throws -> BankgiroNumber { try BankgiroNumber(parsing: text) }
}

extension ReportingRange: CommandLineValue {}

/// A district code: 1–16 letters, digits or `-`, kept in upper case.
struct DistrictCode: CommandLineValue {
    let code: String
    static func parse(_ text: String) throws -> DistrictCode { DistrictCode(code: try ContractDraft.validateDistrictCode(text)) }
}

/// Printable text of at most 200 characters (a name).
struct Name: CommandLineValue {
    let text: String
    static func parse(_ text: String) throws -> Name { Name(text: try ContractDraft.validateText(text, what: "name", maxLength: 200)) }
}

/// A district office's name: printable text of at most 100 characters.
struct DistrictName: CommandLineValue {
    let text: String
    static func parse(_ text: String) throws -> DistrictName {
        DistrictName(text: try ContractDraft.validateText(text, what: "district name", maxLength: 100))
    }
}
