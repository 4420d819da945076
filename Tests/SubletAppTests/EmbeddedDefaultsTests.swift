import Foundation
import SubletApp
import Testing

/// The defaults compiled into the binaries are the repository's files, byte for byte: after an
/// edit of `Config/` or `Jobs/`, run `Config/embed-defaults` (this test says so until it is run).
@Suite struct EmbeddedDefaultsTests {
    static func files(_ folder: String, _ suffixes: [String]) throws -> [String: String] {
        let path = repositoryRoot + "/" + folder
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) where suffixes.contains(where: name.hasSuffix) {
            files[name] = try String(contentsOfFile: path + "/" + name, encoding: .utf8)
        }
        return files
    }

    @Test func theTemplatesAreConfigTemplates() throws {
        let shipped = try Self.files("Config/templates", [".mustache", ".css"])
        #expect(Set(Defaults.templates.keys) == Set(shipped.keys), "run Config/embed-defaults")
        for (name, text) in shipped { #expect(Defaults.templates[name] == text, "\(name) differs: run Config/embed-defaults") }
    }

    @Test func theJobsAreJobs() throws {
        let shipped = try Self.files("Jobs", [".toml"])
        #expect(Defaults.jobs == shipped, "run Config/embed-defaults")
    }

    @Test func theConfigurationIsConfigSubletToml() throws {
        let shipped = try String(contentsOfFile: repositoryRoot + "/Config/sublet.toml", encoding: .utf8)
        #expect(Defaults.configuration == shipped, "run Config/embed-defaults")
    }

    @Test func aTemplateFolderOverridesFileByFile() throws {
        let folder = TemporaryFolder()
        try "<p>{{district}}</p>".write(toFile: folder.path + "/reconciliation.html.mustache", atomically: true, encoding: .utf8)
        let templates = Templates(directory: folder.path)
        #expect(try templates.text("reconciliation.html.mustache") == "<p>{{district}}</p>")
        #expect(try templates.text("notice.css") == Defaults.templates["notice.css"])
        #expect(throws: ConfigurationError.self) { try Templates(directory: folder.path + "/missing").text("notice.css") }
    }
}
