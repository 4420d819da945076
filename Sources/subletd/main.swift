import SubletDaemon

await SubletDaemonMain.run()
