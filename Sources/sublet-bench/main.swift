import ArgumentParser
import SubletDemo

// `sublet-bench`: the options and the phases live in SubletDemo (BenchmarkCommand, Benchmark).
BenchmarkCommand.main()
