/// A problem in an import file, with where it is.
public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file line (1 = the header).
    public let line: Int
    /// The column's name, when the problem belongs to one.
    public let column: String?
    /// The column's position (1-based), when known.
    public let columnNumber: Int?
    public let message: String

    public init(line: Int, column: String? = nil, columnNumber: Int? = nil, message: String) {
        self.line = line
        self.column = column
        self.columnNumber = columnNumber
        self.message = message
    }

    public var description: String {
        var place = "line \(line)"
        if let columnNumber, let column { place += ", column \(columnNumber) (\(column))" }
        else if let column { place += ", column \(column)" }
        else if let columnNumber { place += ", column \(columnNumber)" }
        return place + ": " + message
    }
}

/// Reads the legacy register's CSV export into validated contract drafts (issue #2 §4,
/// docs/formats.md): a header row naming the columns in any order, `;` or `,` as delimiter,
/// decimal comma or point, UTF-8 with or without a byte-order mark.
public struct ContractImportReader: Sendable {
    /// One data row: its draft when every field is valid, else its problems. The district code
    /// and contract number are given whenever they are well-formed, so the register can check
    /// them even on a row with other problems.
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let draft: ContractDraft?
        public let district: String?
        public let number: String?
        public let problems: [ImportProblem]
    }

    private var reader: CSVReader
    private let columns: [ContractField: Int]
    private let columnCount: Int
    private let today: CalendarDate
    private var seenNumbers: [String: Int] = [:]

    /// Reads the header. Throws every header problem at once.
    public init(bytes: [UInt8], today: CalendarDate) throws(ImportProblems) {
        self.today = today
        reader = CSVReader(bytes: bytes)
        let header: CSVRecord
        do {
            guard let record = try reader.next() else {
                throw ImportProblems([ImportProblem(line: 1, message: "the file is empty; expected a header row")])
            }
            header = record
        } catch let error as CSVSyntaxError {
            throw ImportProblems([ImportProblem(line: error.line, columnNumber: error.column, message: error.message)])
        } catch let error as ImportProblems {
            throw error
        } catch {
            throw ImportProblems([ImportProblem(line: 1, message: "\(error)")])
        }
        var problems: [ImportProblem] = []
        var columns: [ContractField: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingASCIIWhitespace().lowercased()
            guard let field = ContractField(rawValue: key) else {
                let known = ContractField.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(ImportProblem(line: header.line, column: name, columnNumber: index + 1,
                                              message: "unknown column '\(name)' (known: \(known))"))
                continue
            }
            if columns[field] != nil {
                problems.append(ImportProblem(line: header.line, column: key, columnNumber: index + 1, message: "column '\(key)' appears twice"))
            }
            columns[field] = index
        }
        for field in ContractField.allCases where field.isRequired && columns[field] == nil {
            problems.append(ImportProblem(line: header.line, column: field.rawValue, message: "required column '\(field.rawValue)' is missing"))
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        self.columns = columns
        columnCount = header.fields.count
    }

    /// The next row, or `nil` at the end of the file. After a syntax error the rest of the file
    /// cannot be read reliably, so the reader stops there.
    public mutating func next() -> Row? {
        let record: CSVRecord
        do {
            guard let next = try reader.next() else { return nil }
            record = next
        } catch {
            reader = CSVReader(bytes: [], delimiter: reader.delimiter)
            return Row(line: error.line, draft: nil, district: nil, number: nil,
                       problems: [ImportProblem(line: error.line, columnNumber: error.column, message: error.message)])
        }
        guard record.fields.count == columnCount else {
            let delimiter = Character(Unicode.Scalar(reader.delimiter))
            return Row(line: record.line, draft: nil, district: nil, number: nil, problems: [ImportProblem(
                line: record.line,
                message: "expected \(columnCount) fields as in the header, found \(record.fields.count) (delimiter '\(delimiter)')"
            )])
        }
        func value(_ field: ContractField) -> String? { columns[field].map { record.fields[$0] } }
        let input = ContractInput(
            number: value(.contractNumber), district: value(.district)!, tenantName: value(.tenantName)!,
            personalNumber: value(.personalNumber)!, address: value(.address)!, objectID: value(.objectID),
            start: value(.startDate)!, end: value(.endDate), rent: value(.rent)!,
            charges: (value(.charges) ?? "").split(separator: "|").map(String.init).filter { !$0.trimmingASCIIWhitespace().isEmpty }
        )
        var fieldProblems: [FieldProblem] = []
        var draft: ContractDraft?
        switch ContractDraft.validate(input, today: today) {
        case let .success(valid): draft = valid
        case let .failure(failure): fieldProblems = failure.problems
        }
        let number = (try? input.number.flatMap { try ContractDraft.validateNumber($0) }) ?? nil
        if let number {
            if let first = seenNumbers[number] {
                fieldProblems.append(FieldProblem(.contractNumber, "contract number \(number) already appears on line \(first)"))
                draft = nil
            } else {
                seenNumbers[number] = record.line
            }
        }
        let problems = fieldProblems.map { problem(record.line, $0) }.sorted { ($0.columnNumber ?? .max) < ($1.columnNumber ?? .max) }
        return Row(line: record.line, draft: draft, district: try? ContractDraft.validateDistrictCode(input.district),
                   number: number, problems: problems)
    }

    /// `problem` placed at `line` and the column of its field.
    public func problem(_ line: Int, _ problem: FieldProblem) -> ImportProblem {
        ImportProblem(line: line, column: problem.field.rawValue, columnNumber: columnNumber(of: problem.field), message: problem.message)
    }

    /// The file column (1-based) of `field`, if the file has it.
    public func columnNumber(of field: ContractField) -> Int? { columns[field].map { $0 + 1 } }
}

/// Several import problems, reported together.
public struct ImportProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ImportProblem]
    public init(_ problems: [ImportProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
