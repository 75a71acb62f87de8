//go:build pprof

package main

import (
	"net/http"
	_ "net/http/pprof" // the profiles, on ZHIYUAN_PPROF only
	"os"
)

// A build with -tags pprof serves the runtime profiles on the address in
// ZHIYUAN_PPROF (e.g. 127.0.0.1:6061), apart from the application's port.
func init() {
	if addr := os.Getenv("ZHIYUAN_PPROF"); addr != "" {
		go func() { _ = http.ListenAndServe(addr, nil) }()
	}
}
