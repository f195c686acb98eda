module kubeproof.dev/tools/model-server

go 1.24
