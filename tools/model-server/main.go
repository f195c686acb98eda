// A stand-in model server for the inference-gateway example: a few lines of the standard library that
// behave, seen from a test, like the simulated model servers of the Gateway API Inference Extension's
// e2e suite. It listens on several model ports, answers every request with the port that served it in
// `x-inference-port`, echoes the routing headers it received, tolerates malformed routing headers
// (defaults, never an error), and serves Prometheus metrics on a port of its own behind a bearer token.
// A gateway port spreads requests over the model ports round-robin, as the endpoint picker would.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

type counters struct {
	mu       sync.Mutex
	requests map[string]int // "port code" -> count
}

func (c *counters) add(port string, code int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests[port+" "+strconv.Itoa(code)]++
}

func main() {
	ports := flag.String("ports", "8000,8001", "model ports, comma-separated")
	gatewayPort := flag.Int("gateway-port", 8080, "round-robin gateway over the model ports (0: none)")
	metricsPort := flag.Int("metrics-port", 9090, "Prometheus metrics port")
	model := flag.String("model", "stand-in", "model name answered in responses")
	pool := flag.String("pool", "pool", "pool name in the metrics' labels")
	flag.Parse()
	pod := os.Getenv("POD_NAME")
	stats := &counters{requests: map[string]int{}}
	modelPorts := strings.Split(*ports, ",")
	for _, port := range modelPorts {
		go serve(":"+port, modelHandler(port, *model, stats))
	}
	if *gatewayPort != 0 {
		go serve(fmt.Sprintf(":%d", *gatewayPort), gateway(modelPorts))
	}
	serve(fmt.Sprintf(":%d", *metricsPort), metrics(pod, *pool, *model, stats))
}

func serve(addr string, handler http.Handler) {
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, handler))
}

// routingHeader: what the server echoes back, as gateways' routing headers are inspected in tests.
func routingHeader(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasPrefix(lower, "x-") && lower != "x-inference-port"
}

func modelHandler(port, model string, stats *counters) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			w.WriteHeader(http.StatusOK)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var request map[string]any
		// A malformed body is an answer with defaults, as a lenient server gives; only a body that
		// says {"fail": true} is refused, so tests can see a failure.
		_ = json.Unmarshal(body, &request)
		w.Header().Set("x-inference-port", port)
		echoed := map[string]string{}
		for name, values := range r.Header {
			if routingHeader(name) {
				w.Header().Set(name, strings.Join(values, ","))
				echoed[strings.ToLower(name)] = strings.Join(values, ",")
			}
		}
		code := http.StatusOK
		if fail, _ := request["fail"].(bool); fail {
			code = http.StatusBadRequest
		}
		stats.add(port, code)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"model":   model,
			"port":    port,
			"method":  r.Method,
			"path":    r.URL.Path,
			"headers": echoed,
			"request": request,
			"choices": []map[string]any{{"index": 0, "text": "ok"}},
		})
	})
}

func gateway(ports []string) http.Handler {
	var next atomic.Uint64
	proxies := make([]*httputil.ReverseProxy, len(ports))
	for i, port := range ports {
		target, _ := url.Parse("http://127.0.0.1:" + port)
		proxies[i] = httputil.NewSingleHostReverseProxy(target)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxies[int(next.Add(1)-1)%len(proxies)].ServeHTTP(w, r)
	})
}

func metrics(pod, pool, model string, stats *counters) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		// A service-account token is a JWT: three dot-separated parts. Validating it needs a TokenReview,
		// which a stand-in does not do; refusing anything else is enough for tests to see the header.
		if !ok || strings.Count(token, ".") != 2 {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "# HELP model_server_info The stand-in's model.\n# TYPE model_server_info gauge\n")
		fmt.Fprintf(w, "model_server_info{model=%q,pod=%q} 1\n", model, pod)
		fmt.Fprintf(w, "# HELP inference_pool_per_pod_queue_size Queued requests per pod.\n# TYPE inference_pool_per_pod_queue_size gauge\n")
		fmt.Fprintf(w, "inference_pool_per_pod_queue_size{model_server_pod=%q,name=%q} 0\n", pod, pool)
		fmt.Fprintf(w, "# HELP model_requests_total Requests answered, by port and code.\n# TYPE model_requests_total counter\n")
		stats.mu.Lock()
		keys := make([]string, 0, len(stats.requests))
		for k := range stats.requests {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			port, code, _ := strings.Cut(k, " ")
			fmt.Fprintf(w, "model_requests_total{code=%q,port=%q} %d\n", code, port, stats.requests[k])
		}
		stats.mu.Unlock()
	})
}
