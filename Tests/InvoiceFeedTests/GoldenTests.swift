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
