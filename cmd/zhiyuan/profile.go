package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile writes a CPU profile of the whole serve run to the file
// named by ZHIYUAN_CPU_PROFILE (for the benchmark suite's profiling; unset
// in production). The returned function stops and flushes it.
func startCPUProfile() (stop func(), err error) {
	path := os.Getenv("ZHIYUAN_CPU_PROFILE")
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("serve: cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("serve: cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
