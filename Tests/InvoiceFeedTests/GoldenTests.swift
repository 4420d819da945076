import Foundation
import InvoiceFeed
import SubletDomain
import Testing

enum Fixtures {
    static let root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
    static func path(_ relative: String) -> String { root + "/" + relative }

    struct Verdict: Decodable {
        var xsdValid: Bool
        var fatal: [String]
        var warning: [String]
        enum CodingKeys: String, CodingKey { case xsdValid = "xsd_valid", fatal, warning }
    }

    /// The official validator's verdict per sample (`peppol/oracle-expected.json`).
    static let oracle: [String: Verdict] = {
        struct File: Decodable { var results: [String: Verdict] }
        let data = try! Data(contentsOf: URL(fileURLWithPath: path("peppol/oracle-expected.json")))
        return try! JSONDecoder().decode(File.self, from: data).results
    }()
}

/// For the rules InvoiceRules implements, Sublet's verdict equals the official validator's on
/// every official sample (the UBL 2.1 XSD + OpenPEPPOL BIS 3.0.19 Schematron, run with Saxon).
@Suite struct GoldenTests {
    static let samples = Fixtures.oracle.keys.sorted()

    @Test(arguments: samples)
    func ourVerdictAgreesWithTheOfficialValidator(sample: String) throws {
        let verdict = try #require(Fixtures.oracle[sample])
        let expected = Set(verdict.fatal).intersection(InvoiceRules.implemented)
        do {
            let documents = try InvoiceFeedReader(path: Fixtures.path("peppol/" + sample)).documents()
            #expect(documents.count == 1)
            let ours = Set(documents.flatMap(InvoiceRules.check).map(\.rule))
            #expect(ours == expected, "\(sample): ours \(ours.sorted()), official \(expected.sorted())")
        } catch let error as FeedError {
            // Rejected as unreadable or unidentifiable: the validator must find it broken too.
            #expect(
                !verdict.xsdValid || verdict.fatal.contains { ["BR-01", "BR-02", "BR-03", "BR-05", "BR-06"].contains($0) },
                "\(sample) was rejected (\(error)) but the validator accepts it")
        }
    }
}

/// The same comparison on 356 variants of six samples, each with one amount or quantity changed
/// (peppol/mutations/README.md): a third decimal, a trailing zero, spaces around the number, a
/// cent or a krona more or less, on invoices and credit notes.
@Suite struct MutationGoldenTests {
    struct Variant: Decodable, CustomTestStringConvertible, Sendable {
        var name, base, old, new: String
        var offset: Int
        var xsdValid: Bool
        var fatal: [String]
        enum CodingKeys: String, CodingKey { case name, base, old, new, offset, xsdValid = "xsd_valid", fatal }
        var testDescription: String { name }
    }

    static let variants: [Variant] = {
        struct File: Decodable { var variants: [Variant] }
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("peppol/mutations/expected.json")))
        return try! JSONDecoder().decode(File.self, from: data).variants
    }()

    /// The variant's bytes: its sample with `old` replaced by `new` at `offset`.
    static func bytes(of variant: Variant) throws -> [UInt8] {
        let sample = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("peppol/" + variant.base))))
        let old = Array(variant.old.utf8)
        let range = variant.offset..<(variant.offset + old.count)
        try #require(range.upperBound <= sample.count && Array(sample[range]) == old, "\(variant.base) changed: run generate.py again")
        return Array(sample[..<range.lowerBound]) + Array(variant.new.utf8) + Array(sample[range.upperBound...])
    }

    @Test func everyImplementedRuleIsExercised() {
        let raised = Set(Self.variants.flatMap(\.fatal)).intersection(InvoiceRules.implemented)
        let unexercised = InvoiceRules.implemented.subtracting(raised)
        // The rules no amount mutation reaches: period order (BR-29, BR-30, R110, R111, covered by the
        // samples and FeedReaderTests), currency (R051), and decimals of amounts the six samples lack.
        #expect(
            unexercised.isSubset(of: [
                "BR-29", "BR-30", "PEPPOL-EN16931-R110", "PEPPOL-EN16931-R111", "PEPPOL-EN16931-R051",
                "BR-DEC-02", "BR-DEC-17", "BR-DEC-25", "BR-DEC-28",
            ]), "\(unexercised.sorted())")
        #expect(Self.variants.count == 356)
    }

    @Test(arguments: variants)
    func ourVerdictAgreesWithTheOfficialValidator(variant: Variant) throws {
        let folder = NSTemporaryDirectory() + "sublet-mutation-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + variant.name
        try Data(try Self.bytes(of: variant)).write(to: URL(fileURLWithPath: path))
        let expected = Set(variant.fatal).intersection(InvoiceRules.implemented)
        do {
            let documents = try InvoiceFeedReader(path: path).documents()
            #expect(documents.count == 1)
            let ours = Set(documents.flatMap(InvoiceRules.check).map(\.rule))
            #expect(ours == expected, "\(variant.name): ours \(ours.sorted()), official \(expected.sorted())")
        } catch let error as FeedError {
            #expect(!variant.xsdValid, "\(variant.name) was rejected (\(error)) but is valid against the schema; official \(variant.fatal)")
        }
    }

    /// A message shows the values that differ: the amount as written and what it was compared with.
    @Test(arguments: [("base-example--tax-total--third-decimal.xml", "BR-CO-14"), ("Allowance-example--line-net--spaces.xml", "BR-DEC-23")])
    func messagesShowTheValuesThatDiffer(name: String, rule: String) throws {
        let variant = try #require(Self.variants.first { $0.name == name })
        let folder = NSTemporaryDirectory() + "sublet-mutation-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(try Self.bytes(of: variant)).write(to: URL(fileURLWithPath: folder + "/" + name))
        let documents = try InvoiceFeedReader(path: folder + "/" + name).documents()
        let failure = try #require(documents.flatMap(InvoiceRules.check).first { $0.rule == rule })
        #expect(failure.message.contains(variant.new))
        if rule == "BR-CO-14" { #expect(failure.message.contains("≠ \(variant.old),")) }
    }
}
