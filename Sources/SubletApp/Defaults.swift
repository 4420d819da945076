import Foundation
import Mustache

/// The defaults compiled into the binaries (generated from `Config/` and `Jobs/` by
/// `Config/embed-defaults`): the templates, the job definitions and the documented configuration.
/// A folder named by `paths.templates` or `paths.jobs` replaces them, so every command works from
/// any directory with no file beside it.
public enum Defaults {
    /// `Config/sublet.toml` as shipped.
    public static var configuration: String { EmbeddedConfiguration.files["sublet.toml"] ?? "" }

    /// The compiled-in job definitions, by file name (`monthly-notices.toml`).
    public static var jobs: [String: String] { EmbeddedJobs.files }

    /// The compiled-in templates, by file name (`notice.html.mustache`, `notice.css`).
    public static var templates: [String: String] { EmbeddedTemplates.files }
}

/// The templates Sublet renders with: a file in `paths.templates` when one is configured and
/// holds it, else the compiled-in one.
public struct Templates: Sendable {
    public let directory: String?

    public init(directory: String?) { self.directory = directory }

    /// The text of `name`, or a configuration error naming `paths.templates`.
    public func text(_ name: String) throws(ConfigurationError) -> String {
        if let directory {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
                throw .setting(name: "paths.templates", message: "\(directory) is not a folder")
            }
            let path = directory + "/" + name
            if FileManager.default.fileExists(atPath: path) {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw .setting(name: "paths.templates", message: "\(path) is not readable UTF-8 text")
                }
                return text
            }
        }
        guard let text = Defaults.templates[name] else {
            throw .setting(name: "paths.templates", message: "no \(name) in \(directory ?? "the compiled-in templates")")
        }
        return text
    }

    /// The Mustache template `name`, or a configuration error naming the file.
    public func mustache(_ name: String) throws(ConfigurationError) -> MustacheTemplate {
        let text = try text(name)
        do {
            return try MustacheTemplate(string: text)
        } catch {
            throw .setting(name: "paths.templates", message: "\(directory.map { $0 + "/" } ?? "")\(name) is not a valid Mustache template: \(error)")
        }
    }
}
