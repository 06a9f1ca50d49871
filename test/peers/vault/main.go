// Command vault-peer runs a real HashiCorp Vault 1.14.0 core (MPL-2.0) in memory, unsealed, on a
// loopback port, for SecretSync's test suite. It prints one JSON line with the address and root
// token, then serves until it is signalled.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	log "github.com/hashicorp/go-hclog"
	jwtauth "github.com/hashicorp/vault-plugin-auth-jwt"
	kubeauth "github.com/hashicorp/vault-plugin-auth-kubernetes"
	kv "github.com/hashicorp/vault-plugin-secrets-kv"
	"github.com/hashicorp/vault/builtin/credential/approle"
	awsauth "github.com/hashicorp/vault/builtin/credential/aws"
	vaulthttp "github.com/hashicorp/vault/http"
	"github.com/hashicorp/vault/sdk/logical"
	"github.com/hashicorp/vault/vault"
	testing "github.com/mitchellh/go-testing-interface"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "vault-peer: listen:", err)
		os.Exit(1)
	}
	conf := &vault.CoreConfig{
		Logger:             log.New(&log.LoggerOptions{Level: log.Warn, Output: os.Stderr}),
		LogicalBackends:    map[string]logical.Factory{"kv": kv.Factory},
		CredentialBackends: map[string]logical.Factory{"approle": approle.Factory, "kubernetes": kubeauth.Factory, "jwt": jwtauth.Factory, "aws": awsauth.Factory},
	}
	t := &testing.RuntimeT{}
	core, _, root := vault.TestCoreUnsealedWithConfig(t, conf)
	addr := "http://" + ln.Addr().String()
	vaulthttp.TestServerWithListener(nil, ln, addr, core)
	line, _ := json.Marshal(map[string]string{"address": addr, "root_token": root})
	fmt.Println(string(line))
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	_ = core.ShutdownWait()
}
