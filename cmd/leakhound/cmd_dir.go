package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/dirscan"
	"github.com/leakhound/leakhound/report"
)

type dirOptions struct {
	commonOptions
	followSymlinks bool
}

func newDirCmd(env *environ) *cobra.Command {
	o := &dirOptions{}
	cmd := &cobra.Command{
		Use:   "dir [PATH...]",
		Short: "Scan files on disk",
		Long: "Scan the files under each PATH (default .), skipping .git directories. Symbolic " +
			"links are skipped unless --follow-symlinks is given.\n" + exitCodesHelp,
		Example: "  leakhound dir .\n  leakhound dir --report-format json config/ deploy/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return runDir(cmd.Context(), env, o, args)
		},
	}
	o.bind(cmd)
	cmd.Flags().BoolVar(&o.followSymlinks, "follow-symlinks", false,
		"scan the files symbolic links point to")
	return cmd
}

func runDir(ctx context.Context, env *environ, o *dirOptions, args []string) error {
	var roots, missing []string
	for _, r := range args {
		if _, err := os.Stat(r); err != nil {
			missing = append(missing, fmt.Sprintf("scan %s: %v", r, err))
			continue
		}
		roots = append(roots, r)
	}
	if len(roots) == 0 {
		return &exitStatus{code: exitError, err: errors.New(strings.Join(missing, "; "))}
	}
	root := ""
	if fi, err := os.Stat(roots[0]); err == nil && fi.IsDir() {
		root = roots[0]
	}
	s, err := newSession(env, &o.commonOptions, root)
	if err != nil {
		return err
	}
	st, scanErr := dirscan.Scan(ctx, s.eng, roots, dirscan.Options{
		FollowSymlinks: o.followSymlinks,
		MaxFileSize:    o.maxFileSize,
		Jobs:           o.jobs,
		Logger:         s.log,
	}, s.emit)
	sum := &report.Summary{Source: roots[0], Blobs: st.Files, Bytes: st.Bytes,
		Skipped: st.Skipped, Errors: append(missing, st.Errors...)}
	if scanErr == nil && len(sum.Errors) > 0 {
		scanErr = fmt.Errorf("%d %s could not be read:\n  %s", len(sum.Errors),
			plural(len(sum.Errors), "input", "inputs"), strings.Join(sum.Errors, "\n  "))
	}
	return s.finish(sum, scanErr)
}

func newStdinCmd(env *environ) *cobra.Command {
	o := &commonOptions{}
	cmd := &cobra.Command{
		Use:     "stdin",
		Short:   "Scan standard input",
		Long:    "Scan everything read from standard input as one file.\n" + exitCodesHelp,
		Example: "  kubectl get secret -o yaml | leakhound stdin",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := newSession(env, o, "")
			if err != nil {
				return err
			}
			st, scanErr := dirscan.ScanReader(s.eng, env.stdin, "", o.maxFileSize, s.emit)
			sum := &report.Summary{Source: "stdin", Blobs: st.Files, Bytes: st.Bytes,
				Skipped: st.Skipped}
			return s.finish(sum, scanErr)
		},
	}
	o.bind(cmd)
	return cmd
}
