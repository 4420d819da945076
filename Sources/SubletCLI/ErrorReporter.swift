import ArgumentParser
import Foundation
import SubletApp
import SubletDomain

/// A rejected operation with a message of its own (exit 65, or 66 when an input could not be read).
struct RejectedError: CategorizedError {
    let description: String
    let category: ErrorCategory
    init(_ description: String, category: ErrorCategory = .invalidInput) {
        self.description = description
        self.category = category
    }
}

/// A usage error found after parsing, printed as `sublet: error: …` without the help text (exit 64).
struct UsageError: CategorizedError {
    let description: String
    init(_ description: String) { self.description = description }
    var category: ErrorCategory { .usage }
}

extension OptionError: CategorizedError {
    var category: ErrorCategory { .invalidInput }
}

/// An error the command line says in its own words (naming options, listing rows).
protocol CommandLineMessage {
    var commandLineMessage: String { get }
}

extension FieldProblems: CommandLineMessage where Field: CommandLineField {
    var commandLineMessage: String { optionLines.joined(separator: "\n") }
}

extension ImportProblems: CommandLineMessage {
    var commandLineMessage: String {
        "nothing was imported; \(Set(problems.map(\.line)).count) bad row(s):\n" + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}

extension CorrectionError: CommandLineMessage {
    var commandLineMessage: String { commandLineDescription }
}

/// How an error ends the command: its message on stderr, and the sysexits code of its category
/// (docs/cli.md). Every error Sublet throws says its own category (`CategorizedError`).
enum ErrorReporter {
    static func exitCode(_ category: ErrorCategory) -> Int32 {
        switch category {
        case .usage: 64
        case .invalidInput: 65
        case .missingInput: 66
        case .cannotWrite: 73
        case .busy: 75
        case .configuration: 78
        case .failure: 1
        }
    }

    /// Writes the error (as `{"error", "exit_code"}` under `--json`) and returns the exit code.
    static func report(_ error: any Error, to sink: any OutputSink, json: Bool = false) -> Int32 {
        let message = (error as? any CommandLineMessage)?.commandLineMessage ?? "\(error)"
        let code = exitCode((error as? any CategorizedError)?.category ?? .failure)
        // An error may quote input (a file name, a landlord's text): personal numbers masked.
        write(SensitiveText.masked(message), code: code, to: sink, json: json)
        return code
    }

    /// `sublet: error: MESSAGE`, or its JSON form on one line of stderr.
    static func write(_ message: String, code: Int32, to sink: any OutputSink, json: Bool) {
        guard json else {
            sink.writeError("sublet: error: " + message + "\n")
            return
        }
        struct Shape: Encodable {
            var error: String
            var exitCode: Int32
            enum CodingKeys: String, CodingKey {
                case error
                case exitCode = "exit_code"
            }
        }
        let encoded = (try? JSONShape.encode(Shape(error: message, exitCode: code), pretty: false)) ?? "{\"exit_code\": \(code)}"
        sink.writeError(encoded + "\n")
    }
}
