// Command etcd is the etcd server at the version Kubernetes itself depends on
// (go.etcd.io/etcd/server/v3, pinned through k8s.io/kubernetes' go.mod).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
