package main

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/detectors"
)

func newRulesCmd(env *environ) *cobra.Command {
	var format, config string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules",
		Long:  "List the rules in use: the built-in ones, or those of --config.",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			eng, _, err := loadEngine(config, "")
			if err != nil {
				return &exitStatus{code: exitError, err: err}
			}
			switch format {
			case "json":
				enc := json.NewEncoder(env.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(eng.Rules())
			case "text":
				return printRules(env, eng.Rules())
			}
			return &exitStatus{code: exitError,
				err: fmt.Errorf("--format %q: want text or json", format)}
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVarP(&config, "config", "c", "", "rules config (TOML)")
	return cmd
}

func printRules(env *environ, rules []*detectors.Rule) error {
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tKEYWORDS\tDESCRIPTION")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, strings.Join(r.Keywords, ","),
			r.Description)
	}
	return tw.Flush()
}

// version is set at build time with -ldflags "-X main.version=..."; otherwise the module
// version from the build info is shown.
var version = ""

func newVersionCmd(env *environ) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print leakhound's version",
		Args:  cobra.NoArgs,
		Run: func(*cobra.Command, []string) {
			fmt.Fprintf(env.stdout, "leakhound %s\n", versionString())
		},
	}
}

// versionString returns the build's version: the -X value, else the module version, else
// "devel".
func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "" {
		v = info.Main.Version
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	return v
}
