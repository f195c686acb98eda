// Command etcd is etcd's server, built from its Go module so that machines
// without release downloads can still run a real etcd.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
