// Command dockerfile-check runs BuildKit's own Dockerfile front end over Dockerfiles without a Docker engine, as
// `docker build --check` does: it parses every instruction (RUN --mount, FROM --platform, COPY --from included),
// resolves the stages and their dependencies, expands the build arguments for each target platform, and reports the
// build checks' warnings. Base images are not pulled: they resolve to an empty image config of the asked platform,
// so checks that need a base image's own settings see none. Exit status 1 on any error or warning.
// Usage: go run . <Dockerfile>...
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// emptyImages answers every base image with an empty config of the asked platform, instead of a registry.
type emptyImages struct{}

func (emptyImages) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	platform := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		platform = *opt.ImageOpt.Platform
	}
	config, err := json.Marshal(ocispecs.Image{Platform: platform})
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(config), config, nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-check <Dockerfile>...")
		os.Exit(2)
	}
	failed := false
	for _, file := range os.Args[1:] {
		for _, platform := range []ocispecs.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"}} {
			if !check(file, platform) {
				failed = true
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

func check(file string, platform ocispecs.Platform) bool {
	dockerfile, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dockerfile-check:", err)
		return false
	}
	source := llb.Local("dockerfile")
	sourceMap := llb.NewSourceMap(&source, file, "Dockerfile", dockerfile)
	if sourceMap.Definition, err = source.Marshal(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "dockerfile-check:", err)
		return false
	}
	options := dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{TargetPlatforms: []ocispecs.Platform{platform}, BuildPlatforms: []ocispecs.Platform{{OS: "linux", Architecture: "amd64"}}},
		MetaResolver: emptyImages{},
		SourceMap:    sourceMap,
	}
	results, err := dockerfile2llb.DockerfileLint(context.Background(), dockerfile, options)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s (%s): %v\n", file, platform.Architecture, err)
		return false
	}
	ok := true
	if results.Error != nil {
		fmt.Fprintf(os.Stderr, "%s (%s): error: %s (line %v)\n", file, platform.Architecture, results.Error.Message, results.Error.Location.Ranges)
		ok = false
	}
	for _, warning := range results.Warnings {
		fmt.Fprintf(os.Stderr, "%s (%s): %s: %s (%s)\n", file, platform.Architecture, warning.RuleName, warning.Detail, warning.URL)
		ok = false
	}
	if ok {
		fmt.Printf("%s (linux/%s): no errors, no build check warnings\n", file, platform.Architecture)
	}
	return ok
}
