import ArgumentParser
import SubletApp
import SubletDomain

struct AlertCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "Report that a systemd unit failed: a journal entry at priority err, then alert.command.",
        discussion: """
            Run by sublet-alert@.service, which every job unit and subletd name in OnFailure=. alert.command (empty: \
            none) is run by /bin/sh with the unit as $1; the exit status is its own (1 if it failed).

            Examples:
              sublet alert sublet-job@monthly-notices.service
              systemctl start sublet-alert@test.service      # try the mail wiring
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The unit that failed.") var unit: String
    var access: SubletApp.DatabaseAccess { .none }

    func run(_ app: SubletApp, _ out: Output) throws {
        let alert = try app.alert(unit: unit)
        if out.json {
            struct Shape: Encodable {
                var message: String
                var commandStatus: Int32?
            }
            try out.json(Shape(message: alert.message, commandStatus: alert.commandStatus))
        }
        if let status = alert.commandStatus, status != 0 {
            throw RejectedError("alert.command exited with status \(status)", category: .failure)
        }
    }
}
