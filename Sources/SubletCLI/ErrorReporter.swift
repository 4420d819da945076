import ArgumentParser
import Foundation
import SubletDomain
import SubletJobs
import SubletStorage

/// An input file that is missing or unreadable (exit 66).
struct InputFileError: Error, CustomStringConvertible {
    let description: String
    init(path: String, reason: String) { description = "\(Quote.escapingControlCharacters(path)): \(reason)" }
    init(_ message: String) { description = message }
}

/// A usage error found after parsing, printed as `sublet: error: …` without the help text (exit 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A rejected operation with a message of its own (exit 65).
struct RejectedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Turns errors into a message on stderr and a sysexits exit code.
enum ErrorReporter {
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            let (code, message) = describe(error)
            printError(message)
            throw ExitCode(code)
        }
    }

    /// A note for the administrator on stderr (not an error; the command succeeded).
    static func printNote(_ message: String) {
        FileHandle.standardError.write(Data(("sublet: note: " + SensitiveText.masked(message) + "\n").utf8))
    }

    static func printError(_ message: String) {
        // An error may quote input (a file name, a landlord's text): personal numbers masked.
        FileHandle.standardError.write(Data(("sublet: error: " + SensitiveText.masked(message) + "\n").utf8))
    }

    /// The exit code and message for `error`.
    static func describe(_ error: any Error) -> (Int32, String) {
        switch error {
        case let error as ConfigurationError: return (78, error.description)
        case let error as StorageError:
            switch error {
            case .missing, .cannotOpen: return (66, error.description)
            case .busy: return (75, error.description)
            case .newerSchema, .olderSchema: return (78, error.description)
            case .notFound, .rejected: return (65, error.description)
            case .sqlite: return (1, error.description)
            case .cannotWrite: return (73, error.description)
            case .badStoredValue: return (65, error.description)
            }
        case let error as InputFileError: return (66, error.description)
        case let error as UsageError: return (64, error.description)
        case let error as ImportProblems:
            let count = Set(error.problems.map(\.line)).count
            return (65, "nothing was imported; \(count) bad row(s):\n" + error.problems.map { "  " + $0.description }.joined(separator: "\n"))
        case let error as FieldProblems<ContractField>: return (65, error.optionLines.joined(separator: "\n"))
        case let error as FieldProblems<LeaseField>: return (65, error.optionLines.joined(separator: "\n"))
        case let error as OptionError: return (65, error.description)
        case let error as RejectedError: return (65, error.description)
        case let error as FieldError: return (65, error.description)
        case let error as MoneyOverflow: return (65, error.description)
        case let error as NoticeRunError: return (65, error.description)
        case let error as CorrectionError: return (65, error.commandLineDescription)
        case let error as ReconciliationOverflow: return (65, error.description)
        case let error as OutputError: return (73, error.description)
        case let error as CocoaError: return (1, error.localizedDescription)
        default: return (1, "\(error)")
        }
    }
}

/// Parses an option's text with `parse`, naming the option in the error.
func parseOption<T>(_ option: String, _ text: String, _ parse: (String) throws -> T) throws -> T {
    do {
        return try parse(text)
    } catch {
        throw OptionError(option: option, message: "\(error)")
    }
}
