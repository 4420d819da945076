import SubletDomain
import Testing

@Suite struct CSVReaderTests {
    private func records(_ text: String, delimiter: UInt8? = nil) throws -> [CSVRecord] {
        var reader = CSVReader(bytes: Array(text.utf8), delimiter: delimiter)
        var result: [CSVRecord] = []
        while let record = try reader.next() { result.append(record) }
        return result
    }

    @Test func readsQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws {
        let result = try records("a;b;c\r\n\"x;y\";\"say \"\"hi\"\"\";\"two\nlines\"\r\n4;5;6\n")
        #expect(result.map(\.fields) == [["a", "b", "c"], ["x;y", "say \"hi\"", "two\nlines"], ["4", "5", "6"]])
        // The third record starts on line 4: the quoted line break counts.
        #expect(result.map(\.line) == [1, 2, 4])
    }

    @Test(arguments: [
        ("a;b\n1;2\n", UInt8(ascii: ";")), ("a,b\n1,2\n", UInt8(ascii: ",")), ("a\n1\n", UInt8(ascii: ",")),
        ("\"x;y\",b,c\n", UInt8(ascii: ",")), ("rent;charges\n\"7850,00\";\"A=1,5|B=2\"\n", UInt8(ascii: ";")),
    ])
    func detectsTheDelimiterFromTheHeader(text: String, delimiter: UInt8) {
        #expect(CSVReader(bytes: Array(text.utf8)).delimiter == delimiter)
    }

    @Test func skipsTheByteOrderMarkAndBlankLines() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\n\n1,2\n\n".utf8)
        var reader = CSVReader(bytes: bytes)
        #expect(try reader.next()?.fields == ["a", "b"])
        let second = try reader.next()
        #expect(second?.fields == ["1", "2"])
        #expect(second?.line == 3)
        #expect(try reader.next() == nil)
    }

    @Test func keepsEmptyFields() throws {
        #expect(try records("a,,c,\n").first?.fields == ["a", "", "c", ""])
        // An empty last field with no line break before the end of the file.
        #expect(try records("a,b\n1,").last?.fields == ["1", ""])
    }

    @Test(arguments: [
        ("a,b\n\"open,2\n", CSVSyntaxError(line: 2, column: 1, message: "the quoted field opened here is never closed")),
        (
            "a,b\n1,x\"y\n",
            CSVSyntaxError(line: 2, column: 2, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
        ),
        ("a,b\n\"x\"y,2\n", CSVSyntaxError(line: 2, column: 1, message: "unexpected text after a closing quote")),
    ])
    func reportsSyntaxErrorsWithLineAndColumn(text: String, error: CSVSyntaxError) {
        #expect(throws: error) { try records(text) }
    }

    @Test func rejectsInvalidUTF8() {
        var reader = CSVReader(bytes: Array("a,b\n1,".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
        #expect(throws: CSVSyntaxError.self) {
            while try reader.next() != nil {}
        }
    }

    @Test(arguments: ["plain", "with,comma", "with \"quote\"", "two\nlines", ""])
    func writerRoundTrips(field: String) throws {
        let text = CSVWriter.row(["x", field, "y"])
        #expect(try records(text).first?.fields == ["x", field, "y"])
    }
}

@Suite struct ContractImportReaderTests {
    let today = CalendarDate(year: 2026, month: 11, day: 26)!
    let header = "contract_number;district;tenant_name;personal_number;address;object_id;start_date;end_date;rent;charges\n"

    private func read(_ text: String) throws(ImportProblems) -> (rows: [ContractImportReader.Row], problems: [ImportProblem]) {
        var reader = try ContractImportReader(bytes: Array(text.utf8), today: today)
        var rows: [ContractImportReader.Row] = []
        var problems: [ImportProblem] = []
        while let row = reader.next() {
            if row.draft != nil { rows.append(row) }
            problems += row.problems
        }
        return (rows, problems)
    }

    @Test func readsRowsWithSwedishDecimalsAndCharges() throws {
        let (rows, problems) = try read(
            header + "L-1;rk;Anna Andersson;19850312-1231;Kistagången 2;OBJ-1;2026-01-15;;7850,50;Parkering=450,00|Garage=1200@25\n")
        #expect(problems.isEmpty)
        let draft = try #require(rows.first?.draft)
        #expect(draft.number == "L-1")
        #expect(draft.district == "RK")
        #expect(draft.personalNumber.digits == "198503121231")
        #expect(draft.terms.step(of: "Hyra", on: draft.terms.start)?.amount == Money(ore: 785_050))
        #expect(draft.terms.step(of: "Garage", on: draft.terms.start)?.vatRate == 25)
        #expect(draft.terms.end == nil)
        #expect(rows.first?.line == 2)
    }

    @Test func columnsMayComeInAnyOrderAndOptionalOnesMayBeMissing() throws {
        let (rows, problems) = try read(
            "rent,start_date,personal_number,tenant_name,district,address\n6000.00,2026-02-01,198503721238,Bo Ek,SM,Götgatan 1\n")
        #expect(problems.isEmpty)
        #expect(rows.count == 1)
        #expect(try #require(rows.first?.draft).number == nil)
    }

    @Test func headerProblemsAreAllReported() {
        #expect {
            _ = try read("district,tenant,personal_number,personal_number,rent\n")
        } throws: { error in
            let problems = (error as? ImportProblems)?.problems ?? []
            let messages = problems.map(\.description)
            return messages.contains { $0.contains("unknown column 'tenant'") }
                && messages.contains { $0.contains("column 'personal_number' appears twice") }
                && messages.contains { $0.contains("required column 'address' is missing") }
                && messages.contains { $0.contains("required column 'start_date' is missing") }
                && problems.allSatisfy { $0.line == 1 }
        }
    }

    @Test func everyBadRowIsReportedWithLineAndColumn() throws {
        let text =
            header
            + "L-1;RK;Anna;19850312-1231;Gatan 1;;2026-01-15;;7850;\n"  // line 2: good
            + "L-2;RK;;19850312-1232;Gatan 2;;2026-13-01;;7850,001;\n"  // line 3: four problems
            + "L-1;RK;Bo;19850372-1238;Gatan 3;;2026-01-15;2025-01-01;100;\n"  // line 4: duplicate number, end before start
            + "L-4;RK;Cy;19850312-1231;Gatan 4;;2026-01-15;;100;Förråd\n"  // line 5: bad charge
            + "L-5;RK;Di\n"  // line 6: too few fields
        let (rows, problems) = try read(text)
        #expect(rows.count == 1)
        let places = problems.map { "\($0.line):\($0.column ?? "-")" }
        #expect(places == ["3:tenant_name", "3:personal_number", "3:start_date", "3:rent", "4:contract_number", "4:end_date", "5:charges", "6:-"])
        #expect(problems[3].columnNumber == 9)
        #expect(problems[3].description.hasPrefix("line 3, column 9 (rent): "))
        #expect(problems[1].message.contains("19850312-****"))
    }

    @Test func anEmptyFileHasNoHeader() {
        #expect(throws: ImportProblems([ImportProblem(line: 1, message: "the file is empty; expected a header row")])) {
            _ = try read("")
        }
    }
}

@Suite struct ContractDraftTests {
    @Test func collectsEveryProblemAtOnce() {
        let input = ContractInput(
            district: "R K", tenantName: " ", personalNumber: "x", address: "", start: "2026-02-30",
            end: "soon", rent: "-5", charges: ["Parkering", "Hyra=10"])
        guard case .failure(let problems) = ContractDraft.validate(input, today: CalendarDate(year: 2026, month: 1, day: 1)!) else {
            Issue.record("expected problems")
            return
        }
        #expect(
            problems.problems.map(\.field) == [.district, .tenantName, .personalNumber, .address, .startDate, .endDate, .rent, .charges, .charges])
        #expect(problems.problems[6].message.contains("negative"))
    }

    @Test func aChargeMayNotBeGivenTwice() {
        let input = ContractInput(
            district: "RK", tenantName: "A", personalNumber: "19850312-1231", address: "B", start: "2026-01-01",
            rent: "1", charges: ["P=1", "p=2"])
        guard case .failure(let problems) = ContractDraft.validate(input, today: CalendarDate(year: 2026, month: 1, day: 1)!) else {
            Issue.record("expected a problem")
            return
        }
        #expect(problems.problems == [FieldProblem(.charges, "charge 'p' is given twice")])
    }

    @Test(arguments: ["Parkering=450", "Parkering=450,00@25", "El=1 200,50@6%", "Förråd=0"])
    func parsesCharges(text: String) throws {
        let charge = try ChargeSpec.parse(text)
        #expect(try ChargeSpec.parse(charge.text) == charge)
    }

    @Test(arguments: ["=450", "Parkering", "Parkering=abc", "Parkering=450@20", "Hyra=100", "A|B=1", String(repeating: "x", count: 41) + "=1"])
    func rejectsCharges(text: String) {
        #expect(throws: FieldError.self) { try ChargeSpec.parse(text) }
    }
}
