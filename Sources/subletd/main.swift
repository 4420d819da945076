import Logging
import SubletDaemon
import SubletLogging

JournalLogHandler.bootstrap()
await SubletDaemonMain.run(logger: Logger(label: "subletd"))
