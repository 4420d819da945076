import Foundation
import SubletJobs

/// Results go to stdout, one place for text tables and JSON.
enum Output {
    static func line(_ text: String = "") {
        print(text)
    }

    static func json(_ value: some Encodable) throws {
        print(try JSONShape.encode(value))
    }

    /// Left-aligned columns; `numeric` columns right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) {
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
        print(text, terminator: "")
    }

    /// Progress on a terminal only (stderr), so pipes and files stay clean.
    static func progress(_ text: String) {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data(("\r" + text).utf8))
    }

    static func endProgress() {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
