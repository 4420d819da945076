import SubletLogging
import SubletPortal

JournalLogHandler.bootstrap()
await PortalMain.start()
