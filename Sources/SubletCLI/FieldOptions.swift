import SubletDomain

/// The command-line option that sets a field: the domain names its fields, the command line
/// names its options, and this is where the two meet.
protocol CommandLineField {
    /// `--rent`, `--district`, …
    var option: String { get }
}

extension ContractField: CommandLineField {
    var option: String {
        switch self {
        case .contractNumber: "NUMBER"
        case .district: "--district"
        case .tenantName: "--tenant"
        case .personalNumber: "--personal-number"
        case .address: "--address"
        case .objectID: "--object-id"
        case .startDate: "--start"
        case .endDate: "--end"
        case .rent: "--rent"
        case .charges: "--charge"
        }
    }
}

extension LeaseField: CommandLineField {
    var option: String {
        switch self {
        case .id: "--id"
        case .landlord: "--landlord"
        case .objectID: "--object-id"
        case .district: "--district"
        case .rent: "--rent"
        case .startDate: "--start"
        case .endDate: "--end"
        case .kind: "--kind"
        case .reference: "--reference"
        case .address: "--address"
        }
    }
}

extension FieldProblems where Field: CommandLineField {
    /// One line per problem, `--option: reason`.
    var optionLines: [String] { problems.map { "\($0.field.option): \($0.message)" } }
}

extension CorrectionError {
    /// The message as the command line says it: a missing time names `--time`.
    var commandLineDescription: String {
        switch self {
        case .fee(.timeRequired(let affected)):
            "--time: this correction affects \(affected) notices and is billed by time (price_list.retroactive_correction.model = \"time\"): give the time spent with --time MINUTES"
        case .fee(let error): "--time: \(error)"
        case .outOfRange: description
        }
    }
}

/// A bad value for a named option (exit 65).
struct OptionError: Error, Sendable, CustomStringConvertible {
    let option: String
    let message: String
    var description: String { "\(option): \(message)" }
}
