// The sandbox ("pause") process of every pod on a real node: it holds the pod's namespaces and does
// nothing else. containerd stops sandboxes with SIGKILL, but SIGTERM and SIGINT end it too; it reaps
// the children it may inherit as PID 1 of a pod with a shared process namespace, as upstream's does.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Set at link time from src/cluster/versions.ts, so `cluster install` can check what it finds.
var version = "unknown"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Println("pause " + version)
		return
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			if pid, _ := syscall.Wait4(-1, &status, syscall.WNOHANG, nil); pid <= 0 {
				break
			}
		}
	}
}
