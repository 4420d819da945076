/// A record of a CSV file with the line it starts on (1-based, counting the header).
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

/// A fault that makes a CSV file unreadable, with where it is.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "line \(line), column \(column): \(message)" }

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}

/// Reads RFC 4180 CSV from UTF-8 bytes (with or without a byte-order mark), one record at a time,
/// keeping the line number each record starts on, so that an import can say where a bad value
/// is. Quoted fields may hold delimiters, quotes (`""`) and line breaks. Blank lines are skipped.
///
/// Written here rather than taken from a package because the CSV packages at hand neither
/// report line numbers nor read bytes at the speed a 86,000-row import needs.
public struct CSVReader: Sendable {
    private let bytes: [UInt8]
    private var position: Int
    private var line = 1
    public let delimiter: UInt8

    /// `delimiter`: `nil` picks `;` or `,`, whichever the first line has more of outside quotes.
    public init(bytes: [UInt8], delimiter: UInt8? = nil) {
        self.bytes = bytes
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        self.delimiter = delimiter ?? Self.detectDelimiter(bytes, from: position)
    }

    private static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var semicolons = 0, commas = 0, quoted = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == UInt8(ascii: "\n") { break }
                if byte == UInt8(ascii: ";") { semicolons += 1 }
                if byte == UInt8(ascii: ",") { commas += 1 }
            }
            index += 1
        }
        return semicolons >= commas && semicolons > 0 ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// The next record, or `nil` at the end of the file.
    public mutating func next() throws(CSVSyntaxError) -> CSVRecord? {
        // Skip blank lines.
        while position < bytes.count, bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "\r") {
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
        guard position < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        while true {
            let column = fields.count + 1
            var field: String
            if position >= bytes.count {
                // A delimiter just before the end of the file: the last field is empty.
                fields.append("")
                break
            }
            if bytes[position] == UInt8(ascii: "\"") {
                let quoteLine = line
                position += 1
                var content: [UInt8] = []
                var closed = false
                while position < bytes.count {
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "\"") {
                        if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                            content.append(byte)
                            position += 2
                            continue
                        }
                        position += 1
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    content.append(byte)
                    position += 1
                }
                guard closed else {
                    throw CSVSyntaxError(line: quoteLine, column: column, message: "the quoted field opened here is never closed")
                }
                if position < bytes.count, !isFieldEnd(bytes[position]) {
                    throw CSVSyntaxError(line: line, column: column, message: "unexpected text after a closing quote")
                }
                field = try decode(content[...], column: column)
            } else {
                let start = position
                while position < bytes.count, !isFieldEnd(bytes[position]) {
                    if bytes[position] == UInt8(ascii: "\"") {
                        throw CSVSyntaxError(
                            line: line, column: column, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    position += 1
                }
                field = try decode(bytes[start..<position], column: column)
            }
            fields.append(field)
            if position >= bytes.count { break }
            let separator = bytes[position]
            position += 1
            if separator == delimiter { continue }
            if separator == UInt8(ascii: "\r"), position < bytes.count, bytes[position] == UInt8(ascii: "\n") { position += 1 }
            line += 1
            break
        }
        return CSVRecord(line: startLine, fields: fields)
    }

    private func isFieldEnd(_ byte: UInt8) -> Bool {
        byte == delimiter || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private func decode(_ slice: ArraySlice<UInt8>, column: Int) throws(CSVSyntaxError) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw CSVSyntaxError(line: line, column: column, message: "not valid UTF-8 (save the file as UTF-8)")
        }
        return text
    }
}

/// Writes CSV fields, quoting only where needed. Every CSV Sublet writes is opened in
/// spreadsheets, so a cell that a spreadsheet would take for a formula (it begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return: OWASP's "CSV injection" rule) gets a leading `'`, which
/// makes it text; a plain number (`-1408,35`, `+250.00`) is left as it is, since it is not a
/// formula and the districts sum those columns.
public enum CSVWriter {
    public static func row(_ fields: [String], delimiter: Character = ",") -> String {
        fields.map { field($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\r\n"
    }

    public static func field(_ raw: String, delimiter: Character = ",") -> String {
        let text = neutralized(raw)
        guard text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// `text`, or `'` + `text` when a spreadsheet would read it as a formula.
    public static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    /// `-1408,35`, `+250.00`, `-5`: an optional sign, digits, and an optional decimal part.
    static func isPlainNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if let first = scalars.first, first == "+" || first == "-" { scalars = scalars.dropFirst() }
        let parts = scalars.split(separator: ".", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }
    }
}
