import ArgumentParser
import Foundation
import Testing

@testable import SubletCLI

/// Issue #10: every command's help ends with examples, in English like the rest of the help.
@Suite struct HelpTests {
    /// Every command below the root, groups included, with its path: `contract`, `contract add`, `stats`, …
    static func commands(_ command: any ParsableCommand.Type, path: [String] = []) -> [(String, any ParsableCommand.Type)] {
        let configuration = command.configuration
        let name = configuration.commandName ?? String(describing: command).lowercased()
        let here = path + [name]
        let own = here.count > 1 ? [(here.dropFirst().joined(separator: " "), command)] : []
        return own + configuration.subcommands.flatMap { commands($0, path: here) }
    }

    /// A command line's words as a shell splits them: spaces outside double quotes; a `#` starts a comment.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var word: String?
        var quoted = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
                word = word ?? ""
            } else if character == "#", !quoted, word == nil {
                break
            } else if character == " ", !quoted {
                if let done = word { words.append(done) }
                word = nil
            } else {
                word = (word ?? "") + String(character)
            }
        }
        if let word { words.append(word) }
        return words
    }

    @Test func everyCommandHasExamplesThatRunIt() {
        let commands = Self.commands(Sublet.self).filter { $0.0 != "help" }
        #expect(commands.count > 70)
        for (path, command) in commands {
            let discussion = command.configuration.discussion
            #expect(discussion.contains("Examples:\n"), "sublet \(path) --help has no examples")
            let examples = discussion.components(separatedBy: "Examples:\n").last?.split(separator: "\n") ?? []
            for example in examples where example.hasPrefix("  sublet ") {
                let words = GlobalOptions.hoisted(Self.words(String(example.dropFirst("  sublet ".count))))
                #expect(throws: Never.self, "sublet \(path): the example \(example) does not parse") { _ = try Sublet.parseAsRoot(words) }
            }
            #expect(
                !examples.isEmpty
                    && examples.allSatisfy {
                        $0.hasPrefix("  sublet \(path)") || $0.hasPrefix("  sudo -u sublet sublet \(path)") || $0.hasPrefix("  systemctl")
                            || $0.hasPrefix("  sublet --")
                    }, "sublet \(path): \(examples)")
        }
    }
}
