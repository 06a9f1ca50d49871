// Command manifestcheck validates Kubernetes manifests, such as the multi-document YAML stream
// that `helm template` prints, against the API types of one pinned Kubernetes release (the
// k8s.io/api version in ../go.mod) and the Prometheus Operator's monitoring.coreos.com/v1 types.
//
// Every document is decoded strictly: an unknown or duplicated field, a value of the wrong type
// or a kind the pinned types do not know fails, as does a missing or malformed name, label or
// annotation. Nothing is fetched: the types are compiled in.
//
//	manifestcheck [file ...]    (no file, or "-": standard input)
//	manifestcheck -version
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

// Kubernetes rejects a CronJob whose name is longer than this: its Jobs get a suffix.
const cronJobNameMax = 52

func main() {
	args := os.Args[1:]
	if len(args) == 1 && (args[0] == "-version" || args[0] == "--version") {
		fmt.Println(versions())
		return
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	decoder, err := newDecoder()
	if err != nil {
		fmt.Fprintf(os.Stderr, "manifestcheck: %v\n", err)
		os.Exit(2)
	}
	valid, failed := 0, 0
	for _, name := range args {
		v, f, err := checkFile(decoder, name)
		valid += v
		failed += f
		if err != nil {
			fmt.Fprintf(os.Stderr, "manifestcheck: %s: %v\n", name, err)
			os.Exit(2)
		}
	}
	fmt.Printf("%d valid, %d invalid against %s\n", valid, failed, versions())
	if failed > 0 || valid == 0 {
		if valid == 0 && failed == 0 {
			fmt.Fprintln(os.Stderr, "manifestcheck: no manifest found in the input")
		}
		os.Exit(1)
	}
}

func newDecoder() (runtime.Decoder, error) {
	scheme := runtime.NewScheme()
	if err := clientscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := monitoringv1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	options := json.SerializerOptions{Yaml: true, Strict: true}
	return json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme, options), nil
}

func checkFile(decoder runtime.Decoder, name string) (valid, failed int, err error) {
	var input io.Reader = os.Stdin
	if name != "-" {
		file, err := os.Open(name)
		if err != nil {
			return 0, 0, err
		}
		defer file.Close()
		input = file
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(input))
	for index := 1; ; index++ {
		document, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return valid, failed, nil
		}
		if err != nil {
			return valid, failed, err
		}
		if empty(document) {
			continue
		}
		where := fmt.Sprintf("%s document %d", name, index)
		if source := sourceComment(document); source != "" {
			where += " (" + source + ")"
		}
		problems := checkDocument(decoder, document)
		if len(problems) == 0 {
			valid++
			continue
		}
		failed++
		for _, problem := range problems {
			fmt.Fprintf(os.Stderr, "INVALID %s: %s\n", where, problem)
		}
	}
}

// checkDocument returns what is wrong with one manifest, or nothing.
func checkDocument(decoder runtime.Decoder, document []byte) []string {
	object, gvk, err := decoder.Decode(document, nil, nil)
	if err != nil && !runtime.IsStrictDecodingError(err) {
		if runtime.IsNotRegisteredError(err) || runtime.IsMissingKind(err) || runtime.IsMissingVersion(err) {
			return []string{fmt.Sprintf("%v (not a kind of %s)", err, versions())}
		}
		return []string{err.Error()}
	}
	var problems []string
	if strict, ok := runtime.AsStrictDecodingError(err); ok {
		for _, e := range strict.Errors() {
			problems = append(problems, e.Error())
		}
	}
	label := gvk.Kind
	accessor, err := meta.Accessor(object)
	if err != nil {
		return append(problems, fmt.Sprintf("%s has no object metadata: %v", label, err))
	}
	name := accessor.GetName()
	label = fmt.Sprintf("%s %q", gvk.Kind, name)
	if name == "" {
		problems = append(problems, gvk.Kind+": metadata.name is empty")
	}
	for _, message := range validation.IsDNS1123Subdomain(name) {
		problems = append(problems, fmt.Sprintf("%s: metadata.name: %s", label, message))
	}
	if gvk.Kind == "CronJob" && len(name) > cronJobNameMax {
		problems = append(problems, fmt.Sprintf("%s: metadata.name is longer than %d characters", label, cronJobNameMax))
	}
	metadata := field.NewPath("metadata")
	errs := metav1validation.ValidateLabels(accessor.GetLabels(), metadata.Child("labels"))
	errs = append(errs, apivalidation.ValidateAnnotations(accessor.GetAnnotations(), metadata.Child("annotations"))...)
	for _, e := range errs {
		problems = append(problems, fmt.Sprintf("%s: %s", label, e.Error()))
	}
	return problems
}

// empty is true for a document that holds only comments or whitespace.
func empty(document []byte) bool {
	converted, err := yaml.YAMLToJSON(document)
	return err == nil && (len(bytes.TrimSpace(converted)) == 0 || string(bytes.TrimSpace(converted)) == "null")
}

// sourceComment returns the template a `helm template` document came from ("# Source: ...").
func sourceComment(document []byte) string {
	for _, line := range strings.Split(string(document), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "# Source: "); ok {
			return rest
		}
	}
	return ""
}

// versions names the pinned API modules this binary was built with.
func versions() string {
	found := map[string]string{}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			found[dep.Path] = dep.Version
		}
	}
	api := found["k8s.io/api"]
	kube := "Kubernetes (unknown version)"
	if rest, ok := strings.CutPrefix(api, "v0."); ok {
		kube = "Kubernetes 1." + strings.SplitN(rest, ".", 2)[0]
	}
	return fmt.Sprintf("%s (k8s.io/api %s, monitoring.coreos.com/v1 from prometheus-operator %s)",
		kube, api, found["github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring"])
}
