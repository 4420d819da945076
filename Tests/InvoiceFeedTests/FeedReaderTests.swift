import Foundation
import InvoiceFeed
import SubletDomain
import Testing

/// One folder for this process's files, removed when the test process exits.
private let temporaryFolder: String = {
    let folder = NSTemporaryDirectory() + "sublet-feed-" + UUID().uuidString
    atexit { try? FileManager.default.removeItem(atPath: temporaryFolder) }
    return folder
}()

private func temporaryFile(_ text: String, name: String = "feed.xml") throws -> String {
    let folder = temporaryFolder + "/" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A sample's document without its XML declaration and comments, to put under a wrapper.
private func body(of sample: String) throws -> String {
    var text = try String(contentsOfFile: Fixtures.path("peppol/" + sample), encoding: .utf8)
    if let end = text.range(of: "?>") { text = String(text[end.upperBound...]) }
    while let start = text.range(of: "<!--"), let end = text.range(of: "-->", range: start.upperBound..<text.endIndex) {
        text.removeSubrange(start.lowerBound..<end.upperBound)
    }
    return text
}

@Suite struct FeedReaderTests {
    @Test func readsTheRentInvoice() throws {
        let invoice = try #require(try InvoiceFeedReader(path: Fixtures.path("peppol/synthetic-se/se-rent-invoice-vat-E.xml")).documents().first)
        #expect(invoice.kind == .invoice)
        #expect(invoice.number == "HY-2025-0415")
        #expect(invoice.issueDate == "2025-03-25")
        #expect(invoice.currency == "SEK")
        #expect(invoice.sellerOrganisationNumber == "5569001232")
        #expect(invoice.seller.registrationName == "Exempelbostäder i Exempelstad AB")
        #expect(invoice.contractReferences == ["BLK-2023-017"])
        #expect(invoice.buyerReference == "SOC4711")
        #expect(invoice.periodStart == "2025-04-01" && invoice.periodEnd == "2025-04-30")
        #expect(invoice.payableAmount?.value == ExactDecimal("11201.65"))
        #expect(invoice.lines.count == 3)
        let second = invoice.lines[1]
        #expect(second.id == "2")
        #expect(second.quantity == "16" && second.unitCode == "DAY")
        #expect(second.amount?.value == ExactDecimal("4160.00"))
        #expect(second.buyersItemID == "TL-0057" && second.sellersItemID == "0014-0803")
        #expect(second.periodStart == "2025-04-15")
        #expect(second.baseQuantity == "1")
        #expect(invoice.lines[2].note?.contains("vattenskada") == true)
        #expect(invoice.taxTotals.first?.subtotals.first?.category == "E")
        #expect(InvoiceRules.check(invoice).isEmpty)
    }

    @Test func readsACreditNote() throws {
        let note = try #require(try InvoiceFeedReader(path: Fixtures.path("peppol/synthetic-se/se-rent-creditnote-vat-E.xml")).documents().first)
        #expect(note.kind == .creditNote)
        #expect(note.billingReferences == ["HY-2025-0415"])
        #expect(note.lines.first?.quantity != nil)
    }

    @Test func readsManyDocumentsUnderAnyWrapper() throws {
        let feed =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Batch xmlns=\"urn:example:batch\">\n"
            + (try body(of: "synthetic-se/se-rent-invoice-vat-E.xml")) + (try body(of: "synthetic-se/se-rent-creditnote-vat-E.xml"))
            + (try body(of: "bis3/base-example.xml")) + "</Batch>\n"
        let documents = try InvoiceFeedReader(path: try temporaryFile(feed)).documents()
        #expect(documents.map(\.number) == ["HY-2025-0415", "KR-2025-0031", "Snippet1"])
        #expect(documents.map(\.kind) == [.invoice, .creditNote, .invoice])
        #expect(documents[1].sourceLine > documents[0].sourceLine)
    }

    @Test func readsAStandardBusinessDocumentEnvelope() throws {
        let envelope = """
            <?xml version="1.0" encoding="UTF-8"?>
            <StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">
              <StandardBusinessDocumentHeader>
                <HeaderVersion>1.0</HeaderVersion>
                <Sender><Identifier Authority="iso6523-actorid-upis">0007:5569001232</Identifier></Sender>
                <Receiver><Identifier Authority="iso6523-actorid-upis">0007:2120000142</Identifier></Receiver>
              </StandardBusinessDocumentHeader>
            """ + (try body(of: "synthetic-se/se-rent-invoice-vat-E.xml")) + "</StandardBusinessDocument>\n"
        let documents = try InvoiceFeedReader(path: try temporaryFile(envelope)).documents()
        #expect(documents.map(\.number) == ["HY-2025-0415"])
    }

    @Test(arguments: ["se-unit/UBL-IN_SE-R-003.xml", "se-unit/UBL-CN_SE-R-003.xml"])
    func readsTheValidatorsTestSetWrappers(sample: String) throws {
        #expect(try InvoiceFeedReader(path: Fixtures.path("peppol/" + sample)).documents().count == 2)
    }

    @Test func oneUnidentifiableDocumentRejectsTheWholeFile() throws {
        let feed =
            "<?xml version=\"1.0\"?>\n<Batch>\n" + (try body(of: "synthetic-se/se-rent-invoice-vat-E.xml"))
            + (try body(of: "broken/broken-BR-02-missing-invoice-number.xml")) + "</Batch>\n"
        var handed = 0
        #expect {
            try InvoiceFeedReader(path: try temporaryFile(feed)).read { _ in handed += 1 }
        } throws: { error in
            guard case .unidentifiable(_, let problems) = error as? FeedError else { return false }
            return problems.first?.message.contains("invoice number") == true && problems.first!.line > 100
        }
        // The caller saw the first document before the bad one: it must store in one transaction.
        #expect(handed == 1)
    }

    /// A batch of `count` copies of the rent invoice, renumbered.
    private func batch(_ count: Int) throws -> String {
        let invoice = try body(of: "synthetic-se/se-rent-invoice-vat-E.xml")
        return "<?xml version=\"1.0\"?>\n<Batch>\n"
            + (1...count).map {
                invoice.replacingOccurrences(of: "<cbc:ID>HY-2025-0415</cbc:ID>", with: "<cbc:ID>HY-\($0)</cbc:ID>")
            }.joined() + "</Batch>\n"
    }

    @Test(arguments: [1, 3, 50])
    func readingAheadHandsOverTheSameDocumentsInOrder(buffered: Int) throws {
        let path = try temporaryFile(try batch(120))
        var ahead: [SupplierInvoice] = []
        let count = try InvoiceFeedReader(path: path).readAhead(bufferedDocuments: buffered) { ahead.append($0) }
        #expect(count == 120)
        #expect(ahead == (try InvoiceFeedReader(path: path).documents()))
        #expect(ahead.map(\.number) == (1...120).map { "HY-\($0)" })
    }

    @Test func whenTheConsumerFailsReadingAheadStopsAndRethrowsItsError() throws {
        struct StoreFailed: Error {}
        let path = try temporaryFile(try batch(500))
        var handed = 0
        #expect(throws: StoreFailed.self) {
            try InvoiceFeedReader(path: path).readAhead(bufferedDocuments: 4) { _ in
                handed += 1
                if handed == 10 { throw StoreFailed() }
            }
        }
        #expect(handed == 10)
    }

    @Test func aParseErrorReachesTheConsumerWhenReadingAhead() throws {
        let feed = try batch(30).replacingOccurrences(of: "</Batch>", with: "<Broken></Batch>")
        var handed = 0
        #expect {
            try InvoiceFeedReader(path: try temporaryFile(feed)).readAhead(bufferedDocuments: 2) { _ in handed += 1 }
        } throws: { error in
            guard case .malformed = error as? FeedError else { return false }
            return true
        }
        #expect(handed <= 30)
    }

    @Test func aDocumentWithoutWhatIdentifiesItIsNamedWhereItStarts() throws {
        let text =
            "<?xml version=\"1.0\"?>\n<Batch>\n  <Invoice xmlns=\"\(UBL.invoice)\"\n     xmlns:cbc=\"\(UBL.basic)\"><cbc:IssueDate>2025-01-01</cbc:IssueDate></Invoice>\n</Batch>\n"
        #expect {
            _ = try InvoiceFeedReader(path: try temporaryFile(text, name: "missing.xml")).documents()
        } throws: { error in
            let lines = "\(error)".split(separator: "\n")
            return lines.first == "missing.xml:3:3: Invoice has no invoice number (cbc:ID, BT-1)" && lines.count == 7
                && lines.allSatisfy { $0.hasPrefix("missing.xml:3:3: Invoice has no ") }
        }
    }

    @Test func aNonNumericAmountMakesTheDocumentUnreadable() throws {
        let text = try String(contentsOfFile: Fixtures.path("peppol/synthetic-se/se-rent-invoice-vat-E.xml"), encoding: .utf8)
            .replacingOccurrences(
                of: "<cbc:LineExtensionAmount currencyID=\"SEK\">8450.00</cbc:LineExtensionAmount>",
                with: "<cbc:LineExtensionAmount currencyID=\"SEK\">8 450 kr</cbc:LineExtensionAmount>")
        #expect {
            _ = try InvoiceFeedReader(path: try temporaryFile(text)).documents()
        } throws: { error in
            "\(error)".contains("line 1 LineExtensionAmount '8 450 kr' is not a number")
        }
    }

    @Test(arguments: [
        ("xxe-file.xml", "DOCTYPE"), ("xxe-network.xml", "DOCTYPE"), ("parameter-entity.xml", "DOCTYPE"),
        ("billion-laughs.xml", "DOCTYPE"), ("deep.xml", "nested deeper than 64"), ("malformed.xml", "not well-formed"),
        (
            "wrong-namespace.xml",
            "no PEPPOL BIS 3 Invoice or CreditNote found (root element {urn:oasis:names:specification:ubl:schema:xsd:Invoice-1}Invoice)"
        ),
        ("svefaktura.xml", "Svefaktura 1.0"), ("truncated.xml", "not well-formed"), ("empty.xml", "hostile/empty.xml"),
        ("binary.xml", "not well-formed"),
    ])
    func hostileFilesAreRejectedSafely(file: String, reason: String) {
        let start = ContinuousClock.now
        #expect {
            _ = try InvoiceFeedReader(path: Fixtures.path("hostile/" + file), displayName: "hostile/" + file).documents()
        } throws: { error in
            guard error is FeedError else { return false }
            return "\(error)".contains(reason)
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func errorsSayWhere() {
        #expect {
            _ = try InvoiceFeedReader(path: Fixtures.path("hostile/malformed.xml")).documents()
        } throws: { error in
            guard case .malformed(_, let line, _, let reason) = error as? FeedError else { return false }
            return line == 5 && reason.contains("Issuedate")
        }
        #expect {
            _ = try InvoiceFeedReader(path: Fixtures.path("hostile/xxe-file.xml")).documents()
        } throws: { error in
            guard case .forbidden(_, let line, _, _) = error as? FeedError else { return false }
            return line == 2
        }
    }

    @Test func nothingIsReadFromTheFilesAnEntityNames() throws {
        // Even had the DOCTYPE been let through, /etc/passwd's first line must never appear in a value.
        do {
            let documents = try InvoiceFeedReader(path: Fixtures.path("hostile/xxe-file.xml")).documents()
            #expect(documents.allSatisfy { !($0.number ?? "").contains("root:") })
        } catch {
            #expect(!"\(error)".contains("root:"))
        }
    }

    /// The prescan reads only the first 64 KiB: past it, the parser itself refuses a DOCTYPE
    /// and never expands an entity (defence in depth).
    @Test(arguments: ["billion-laughs.xml", "xxe-file.xml", "parameter-entity.xml"])
    func aDoctypeThePrescanDoesNotSeeIsRefusedByTheParser(file: String) throws {
        let hostile = try String(contentsOfFile: Fixtures.path("hostile/" + file), encoding: .utf8)
        let padded = hostile.replacingOccurrences(
            of: "<?xml version=\"1.0\"?>\n", with: "<?xml version=\"1.0\"?>\n<!--" + String(repeating: "x", count: 70_000) + "-->\n")
        #expect(padded.count > hostile.count)
        let start = ContinuousClock.now
        #expect {
            _ = try InvoiceFeedReader(path: try temporaryFile(padded)).documents()
        } throws: { error in
            guard case .forbidden(_, let line, _, let reason) = error as? FeedError else { return false }
            return line == 3 && reason.contains("DOCTYPE")
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func anUndeclaredEntityIsNotWellFormed() throws {
        let path = try temporaryFile("<?xml version=\"1.0\"?>\n<Invoice xmlns=\"\(UBL.invoice)\"><ID>&secret;</ID></Invoice>\n")
        #expect {
            _ = try InvoiceFeedReader(path: path).documents()
        } throws: { error in
            guard case .malformed(_, let line, _, let reason) = error as? FeedError else { return false }
            return line == 2 && reason.contains("secret")
        }
    }

    /// Past the first 4,096 distinct element names the reader stops remembering names (bounded
    /// memory) and still reads every field.
    @Test func aFileWithThousandsOfDistinctNamesIsStillReadRight() throws {
        let invoice = try body(of: "synthetic-se/se-rent-invoice-vat-E.xml")
        let junk = (1...5000).map { "<cbc:Extra\($0)>x</cbc:Extra\($0)>" }.joined()
        let padded = invoice.replacingOccurrences(of: "<cbc:CustomizationID>", with: junk + "<cbc:CustomizationID>")
        #expect(padded.count > invoice.count + 100_000)
        let expected = try InvoiceFeedReader(path: try temporaryFile("<?xml version=\"1.0\"?>\n" + invoice)).documents()
        var documents = try InvoiceFeedReader(path: try temporaryFile("<?xml version=\"1.0\"?>\n" + padded)).documents()
        #expect(documents.count == 1)
        documents[0].sourceLine = expected[0].sourceLine
        #expect(documents.map(\.lines) == expected.map(\.lines))
        #expect(documents == expected)
    }

    @Test func aTextLongerThanTheLimitIsRefused() throws {
        let path = try temporaryFile(
            "<?xml version=\"1.0\"?>\n<Invoice xmlns=\"\(UBL.invoice)\"><Note>" + String(repeating: "x", count: 2 * 1024 * 1024)
                + "</Note></Invoice>\n")
        #expect {
            _ = try InvoiceFeedReader(path: path).documents()
        } throws: { error in "\(error)".contains("a text longer than") }
    }

    @Test func filesLargerThanTheLimitAreNotOpened() throws {
        let path = try temporaryFile(String(repeating: " ", count: 4096))
        #expect {
            _ = try InvoiceFeedReader(path: path, limits: FeedLimits(maximumFileBytes: 1024)).documents()
        } throws: { error in
            guard case .tooLarge = error as? FeedError else { return false }
            return true
        }
        #expect(throws: FeedError.self) { try InvoiceFeedReader(path: "/nonexistent/file.xml").documents() }
    }
}
