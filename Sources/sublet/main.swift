import SubletCLI

SubletMain.run()
