import InvoiceFeed
import SubletDomain

/// Commands that take in several files, each in its own transaction (`invoices ingest`,
/// `payments import`): every good file is stored, each rejected one is listed, and the command
/// fails at the end, 66 when a file could not be read at all, else 65.
enum FileBatch {
    /// Runs `take` on each file: it returns the file's JSON row and its line of text. An error
    /// `rejection` turns into a row is a rejected file; any other error stops the command.
    static func run<Row: Encodable>(
        _ files: [String], _ out: Output, take: (String) throws -> (row: Row, line: String),
        rejection: (String, any Error) -> Row?
    ) throws {
        var rows: [Row] = []
        var rejected: [any Error] = []
        for file in files {
            do {
                let (row, line) = try take(file)
                rows.append(row)
                if !out.json { out.line(line) }
            } catch {
                guard let row = rejection(file, error) else { throw error }
                rows.append(row)
                rejected.append(error)
            }
        }
        if out.json { try out.json(rows) }
        guard rejected.isEmpty else {
            let unreadable = rejected.contains { ($0 as? FeedError)?.isUnreadableInput == true }
            throw RejectedError(
                "\(rejected.count) of \(files.count) file(s) rejected, nothing stored from them:\n"
                    + rejected.map { "\($0)" }.joined(separator: "\n"),
                category: unreadable ? .missingInput : .invalidInput)
        }
    }
}
