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
        if let columnNumber, let column {
            place += ", column \(columnNumber) (\(column))"
        } else if let column {
            place += ", column \(column)"
        } else if let columnNumber {
            place += ", column \(columnNumber)"
        }
        return place + ": " + message
    }
}

/// A column of an import file.
public protocol ImportColumn: RawRepresentable<String>, CaseIterable, Hashable, Sendable {
    var isRequired: Bool { get }
}

extension ContractField: ImportColumn {}
extension LeaseField: ImportColumn {}

/// A CSV file whose header names its columns (`Column`), in any order and any case: checks the
/// header, then yields each row's values by column with its file line (issue #2 §4, docs/formats.md).
public struct CSVTableReader<Column: ImportColumn>: Sendable {
    public struct Row: Sendable {
        public let line: Int
        public let values: [Column: String]
    }

    private var reader: CSVReader
    private let columns: [Column: Int]
    private let columnCount: Int

    /// Reads the header. Throws every header problem at once.
    public init(bytes: [UInt8]) throws(ImportProblems) {
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
        var columns: [Column: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingASCIIWhitespace().lowercased()
            guard let column = Column(rawValue: key) else {
                let known = Column.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(
                    ImportProblem(
                        line: header.line, column: name, columnNumber: index + 1,
                        message: "unknown column \(Quote.excerpt(name)) (known: \(known))"))
                continue
            }
            if columns[column] != nil {
                problems.append(
                    ImportProblem(line: header.line, column: key, columnNumber: index + 1, message: "column \(Quote.excerpt(key)) appears twice"))
            }
            columns[column] = index
        }
        for column in Column.allCases where column.isRequired && columns[column] == nil {
            problems.append(ImportProblem(line: header.line, column: column.rawValue, message: "required column '\(column.rawValue)' is missing"))
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        self.columns = columns
        columnCount = header.fields.count
    }

    /// The next row, its problem (a syntax error or a wrong field count), or `nil` at the end. After
    /// a syntax error the rest of the file cannot be read reliably, so the reader stops there.
    public mutating func next() -> Result<Row, ImportProblem>? {
        let record: CSVRecord
        do {
            guard let next = try reader.next() else { return nil }
            record = next
        } catch {
            reader = CSVReader(bytes: [], delimiter: reader.delimiter)
            return .failure(ImportProblem(line: error.line, columnNumber: error.column, message: error.message))
        }
        guard record.fields.count == columnCount else {
            let delimiter = Character(Unicode.Scalar(reader.delimiter))
            return .failure(
                ImportProblem(
                    line: record.line,
                    message: "expected \(columnCount) fields as in the header, found \(record.fields.count) (delimiter '\(delimiter)')"
                ))
        }
        return .success(Row(line: record.line, values: columns.mapValues { record.fields[$0] }))
    }

    /// The file column (1-based) of `column`, if the file has it.
    public func columnNumber(of column: Column) -> Int? { columns[column].map { $0 + 1 } }

    /// A problem with `column` on `line`, placed by name and position.
    public func problem(_ line: Int, _ column: Column, _ message: String) -> ImportProblem {
        ImportProblem(line: line, column: column.rawValue, columnNumber: columnNumber(of: column), message: message)
    }
}

/// Reads the legacy register's CSV export into validated contract drafts: a header row naming
/// the columns in any order, `;` or `,` as delimiter, decimal comma or point, UTF-8 with or
/// without a byte-order mark.
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

    private var table: CSVTableReader<ContractField>
    private let today: CalendarDate
    private var seenNumbers: [String: Int] = [:]

    /// Reads the header. Throws every header problem at once.
    public init(bytes: [UInt8], today: CalendarDate) throws(ImportProblems) {
        self.today = today
        table = try CSVTableReader(bytes: bytes)
    }

    /// The next row, or `nil` at the end of the file.
    public mutating func next() -> Row? {
        guard let result = table.next() else { return nil }
        let record: CSVTableReader<ContractField>.Row
        switch result {
        case .failure(let problem): return Row(line: problem.line, draft: nil, district: nil, number: nil, problems: [problem])
        case .success(let row): record = row
        }
        let value = { (field: ContractField) in record.values[field] }
        let input = ContractInput(
            number: value(.contractNumber), district: value(.district)!, tenantName: value(.tenantName)!,
            personalNumber: value(.personalNumber)!, address: value(.address)!, objectID: value(.objectID),
            start: value(.startDate)!, end: value(.endDate), rent: value(.rent)!,
            charges: (value(.charges) ?? "").split(separator: "|").map(String.init).filter { !$0.trimmingASCIIWhitespace().isEmpty }
        )
        var fieldProblems: [FieldProblem<ContractField>] = []
        var draft: ContractDraft?
        switch ContractDraft.validate(input, today: today) {
        case .success(let valid): draft = valid
        case .failure(let failure): fieldProblems = failure.problems
        }
        // Duplicates are reported even when the row has other problems too.
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
        return Row(
            line: record.line, draft: draft, district: try? ContractDraft.validateDistrictCode(input.district),
            number: number, problems: problems)
    }

    /// `problem` placed at `line` and the column of its field.
    public func problem(_ line: Int, _ problem: FieldProblem<ContractField>) -> ImportProblem {
        table.problem(line, problem.field, problem.message)
    }

    /// The file column (1-based) of `field`, if the file has it.
    public func columnNumber(of field: ContractField) -> Int? { table.columnNumber(of: field) }
}

/// Several import problems, reported together.
public struct ImportProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ImportProblem]
    public init(_ problems: [ImportProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads a CSV of head leases (`lease import`): columns `id` (optional), `landlord`, `object_id`,
/// `district`, `rent`, `start_date`, `end_date`, `kind`, `reference`, `address` (optional ones may be left out).
public struct LeaseImportReader: Sendable {
    public struct Row: Sendable {
        public let line: Int
        public let id: String?
        public let lease: HeadLease?
        public let problems: [ImportProblem]
        /// The row's landlord and district when well-formed, even if another field is not: the
        /// register checks them too, so that every problem of a row is reported at once.
        public var landlord: String? = nil
        public var district: String? = nil
    }

    private var table: CSVTableReader<LeaseField>
    private var seenIDs: [String: Int] = [:]

    public init(bytes: [UInt8]) throws(ImportProblems) {
        table = try CSVTableReader(bytes: bytes)
    }

    public mutating func next() -> Row? {
        guard let result = table.next() else { return nil }
        switch result {
        case .failure(let problem):
            return Row(line: problem.line, id: nil, lease: nil, problems: [problem])
        case .success(let record):
            let landlord = record.values[.landlord].flatMap { try? OrganisationNumber(parsing: $0.trimmingASCIIWhitespace()).digits }
            let district = record.values[.district].flatMap { try? ContractDraft.validateDistrictCode($0.trimmingASCIIWhitespace()) }
            var problems: [ImportProblem] = []
            var lease: HeadLease?
            var id: String?
            switch HeadLease.validate(LeaseInput(record.values)) {
            case .success(let valid):
                lease = valid.lease
                id = valid.id
            case .failure(let failure):
                problems = failure.problems.map { table.problem(record.line, $0.field, $0.message) }
            }
            if let id {
                if let first = seenIDs[id] {
                    problems.append(table.problem(record.line, .id, "lease \(id) already appears on line \(first)"))
                    lease = nil
                } else {
                    seenIDs[id] = record.line
                }
            }
            return Row(line: record.line, id: id, lease: problems.isEmpty ? lease : nil, problems: problems, landlord: landlord, district: district)
        }
    }

    public func problem(_ line: Int, _ field: LeaseField, _ message: String) -> ImportProblem {
        table.problem(line, field, message)
    }
}
