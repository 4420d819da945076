import Logging
import SubletCLI
import SubletLogging

JournalLogHandler.bootstrap()
SubletMain.run(logger: Logger(label: "sublet"))
