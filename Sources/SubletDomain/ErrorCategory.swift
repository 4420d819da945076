/// What kind of failure an error is, which decides how a process ends (the command line maps
/// each to its sysexits code: docs/cli.md). Every error Sublet throws says its own kind.
public enum ErrorCategory: Sendable, Equatable {
    /// A usage error: the command was given something it cannot take (64).
    case usage
    /// Invalid input or a rejected operation: a bad value, a bad row, a rejected file (65).
    case invalidInput
    /// An input file missing or unreadable; no database at the path (66).
    case missingInput
    /// An output file or folder cannot be written (73).
    case cannotWrite
    /// The database was busy longer than the busy timeout (75).
    case busy
    /// A configuration error (78).
    case configuration
    /// Anything else (1).
    case failure
}

/// An error that says what kind of failure it is.
public protocol CategorizedError: Error, CustomStringConvertible {
    var category: ErrorCategory { get }
}

extension MoneyParseError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension MoneyOverflow: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension FieldError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension FieldProblem: CategorizedError {
    public var category: ErrorCategory { .invalidInput }
    public var description: String { "\(field.rawValue): \(message)" }
}
extension FieldProblems: CategorizedError {
    public var category: ErrorCategory { .invalidInput }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
extension ImportProblems: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension NoticeRunError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension NoticeRunRefused: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension CorrectionError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension CorrectionFeeError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension ReconciliationOverflow: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension FilingError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension CalendarDate.ParseError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension BillingPeriod.ParseError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension PersonalNumber.ParseError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
extension IdentifierError: CategorizedError { public var category: ErrorCategory { .invalidInput } }
