// Command compose-check loads a compose file the way `docker compose config` does, with compose-go, the library
// Docker Compose itself parses files with: schema validation, interpolation, env_file resolution and the model's
// consistency checks (dependencies, volumes, networks). It prints the resolved model, or the error and exit status 1.
// It needs no Docker engine. Usage: go run . <compose file>
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose file>")
		os.Exit(2)
	}
	options, err := cli.NewProjectOptions([]string{os.Args[1]}, cli.WithOsEnv, cli.WithDotEnv, cli.WithName("edgeinfer"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	model, err := project.MarshalYAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	os.Stdout.Write(model)
	fmt.Fprintf(os.Stderr, "compose-check: %s is valid: %d services, %d volumes\n", os.Args[1], len(project.Services), len(project.Volumes))
}
