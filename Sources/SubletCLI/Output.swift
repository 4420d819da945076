import Foundation
import SubletApp
import SubletDomain

/// Where a command's results go: lines, tables and JSON to stdout; notes and progress to
/// stderr. One per command run, over the app's output sink.
struct Output: Sendable {
    let sink: any OutputSink
    /// `--json`: results as JSON (docs/cli.md).
    let json: Bool
    /// `--quiet`: no notes, no progress.
    var quiet = false

    func line(_ text: String = "") { sink.write(text + "\n") }

    func json(_ value: some Encodable) throws { sink.write(try JSONShape.encode(value) + "\n") }

    /// Left-aligned columns; `numeric` columns right-aligned.
    func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return numeric.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var text = render(header) + "\n" + render(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { text += render(row) + "\n" }
        sink.write(text)
    }

    /// A note for the administrator on stderr: the command succeeded, but something is worth knowing.
    func note(_ message: String) {
        if !quiet { sink.writeError("sublet: note: " + SensitiveText.masked(message) + "\n") }
    }

    /// Progress on a terminal only (stderr), so pipes and files stay clean.
    func progress(_ text: String) {
        // Back to the line's start, the text, then erase what a longer earlier text left.
        if sink.isTerminal, !quiet { sink.writeError("\r" + text + "\u{1B}[K") }
    }

    func endProgress() {
        if sink.isTerminal, !quiet { sink.writeError("\n") }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
