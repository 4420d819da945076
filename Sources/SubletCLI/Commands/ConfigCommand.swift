import ArgumentParser
import Foundation
import SubletApp

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration, or show what is in effect and where each value came from.",
        discussion: """
            Examples:
              sublet config check
              sublet config show
            """,
        subcommands: [Check.self, Show.self])

    struct Check: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refuse a configuration that is not fit to run (exit 78): the example payee, unwritable folders, a database others can read.",
            discussion: """
                notices run, payments import, jobs run and subletd make the same check before they start. Each problem \
                names the key at fault and the fix.

                Examples:
                  sublet config check
                  sudo -u sublet sublet config check --config /etc/sublet/sublet.toml
                """)

        @OptionGroup var global: GlobalOptions
        var access: SubletApp.DatabaseAccess { .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            try app.requireSafeConfiguration()
            if out.json {
                try out.json(["ok": true])
            } else {
                out.line("The configuration (\(app.settings.source ?? "the compiled-in defaults")) is fit to run.")
            }
        }
    }

    struct Show: AppCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting in effect with its source: default, file, environment or flag.",
            discussion: """
                The output is valid TOML apart from the source comments: a setting can be copied into the file as it is.

                Examples:
                  sublet config show
                  sublet --db /tmp/copy.sqlite config show --json
                """)

        @OptionGroup var global: GlobalOptions
        var access: SubletApp.DatabaseAccess { .none }

        func run(_ app: SubletApp, _ out: Output) throws {
            let settings = app.settings.effective(databasePath: app.databasePath)
            if out.json {
                struct Shape: Encodable {
                    var file: String?
                    var settings: [Settings.Effective]
                }
                try out.json(Shape(file: app.settings.source, settings: settings))
                return
            }
            out.line("# configuration file: \(app.settings.source ?? "none (the compiled-in defaults)")")
            let lines = settings.map { setting in
                setting.value.map { "\(setting.key) = \($0)" } ?? "# \(setting.key): the compiled-in files"
            }
            let width = lines.map(\.count).max() ?? 0
            for (setting, line) in zip(settings, lines) {
                let source =
                    switch setting.source {
                    case .defaults: "default"
                    case .file: "file"
                    case .environment: "environment (SUBLET_DB)"
                    case .flag: "flag (--db)"
                    }
                out.line(line.padding(toLength: width, withPad: " ", startingAt: 0) + "  # " + source)
            }
        }
    }
}
