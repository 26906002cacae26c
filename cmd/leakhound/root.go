package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leakhound/leakhound/report"
)

// environ is what commands read and write besides their flags, injected so tests can swap it.
type environ struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// exitStatus carries an exit code out of a command.
type exitStatus struct {
	code int
	err  error
}

func (e *exitStatus) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitStatus) Unwrap() error { return e.err }

// commonOptions are the flags every scanning command shares.
type commonOptions struct {
	config       string
	reportFormat string
	reportPaths  []string
	noRedact     bool
	redact       int
	exitCode     int
	maxFileSize  int64
	jobs         int
	noProgress   bool
	logLevel     string
	ignoreFile   string
	quiet        bool
	formatSet    bool // --report-format was given
	flags        *pflag.FlagSet
	baseline     string
	hook         bool // run by git as a hook: nothing printed unless it blocks
}

func (o *commonOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	o.flags = f
	f.StringVarP(&o.config, "config", "c", "",
		"rules config (TOML); default .leakhound.toml at the scanned root, else built-in rules")
	f.StringVarP(&o.reportFormat, "report-format", "f", "text",
		"report format: "+strings.Join(report.Formats, ", "))
	f.StringArrayVarP(&o.reportPaths, "report-path", "r", nil,
		"write the report to FILE (- for stdout); repeatable")
	f.BoolVar(&o.noRedact, "no-redact", false, "show secrets in full")
	f.IntVar(&o.redact, "redact", 4, "leading characters of each secret to show (0 to 4)")
	f.IntVar(&o.exitCode, "exit-code", exitFindings, "exit code when secrets are found")
	f.Int64Var(&o.maxFileSize, "max-file-size", 10<<20, "largest file or blob scanned, in bytes")
	f.IntVarP(&o.jobs, "jobs", "j", runtime.NumCPU(), "files or blobs scanned at once (0: one per CPU)")
	f.BoolVar(&o.noProgress, "no-progress", false, "never show a progress bar")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "text report: print only the summary")
	f.StringVar(&o.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	f.StringVar(&o.ignoreFile, "ignore-file", "",
		"file of fingerprints to ignore; default .leakhoundignore at the scanned root")
	f.StringVar(&o.baseline, "baseline", "",
		"file of fingerprints of known findings to leave out (leakhound baseline create); "+
			"default "+baselineName+" at the scanned root")
}

// bindHook binds the common flags for a command git runs as a hook: a clean run prints
// nothing, and a blocking one prints its findings without summaries.
func (o *commonOptions) bindHook(cmd *cobra.Command) {
	o.bind(cmd)
	o.hook = true
}

func (o *commonOptions) validate() error {
	o.formatSet = o.flags != nil && o.flags.Changed("report-format")
	if o.redact < 0 || o.redact > 4 {
		return fmt.Errorf("--redact %d: want 0 to 4", o.redact)
	}
	if o.jobs < 0 {
		return fmt.Errorf("--jobs %d: want 0 (one per CPU) or more", o.jobs)
	}
	if o.jobs == 0 {
		o.jobs = runtime.NumCPU()
	}
	if o.exitCode < 0 || o.exitCode > 125 {
		return fmt.Errorf("--exit-code %d: want 0 to 125", o.exitCode)
	}
	if o.maxFileSize < 1 {
		return fmt.Errorf("--max-file-size %d: want at least 1", o.maxFileSize)
	}
	if _, err := parseLevel(o.logLevel); err != nil {
		return err
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("--log-level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

func (o *commonOptions) logger(w io.Writer) *slog.Logger {
	l, _ := parseLevel(o.logLevel)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

const exitCodesHelp = `
Exit codes:
  0  nothing found
  1  secrets found (or the value of --exit-code)
  2  an error stopped the scan, or some input could not be read`

// execute runs the command line and returns the process exit code.
func execute(ctx context.Context, env *environ, args []string) int {
	root := &cobra.Command{
		Use:   "leakhound",
		Short: "Find credentials in git history, files and standard input",
		Long: "leakhound finds API keys, tokens, passwords and private keys in the full history " +
			"of git repositories, in files on disk and in standard input.\n" + exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetArgs(args)
	root.AddCommand(newGitCmd(env), newDirCmd(env), newStdinCmd(env), newRulesCmd(env),
		newVersionCmd(env), newStagedCmd(env), newPrePushCmd(env), newCommitMsgCmd(env),
		newHookCmd(env), newBaselineCmd(env), newSweepCmd(env), newFindingsCmd(env),
		newWorkerCmd(env))

	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitClean
	}
	var ee *exitStatus
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(env.stderr, "leakhound: %v\n", ee.err)
		}
		return ee.code
	}
	msg := err.Error()
	fmt.Fprintf(env.stderr, "leakhound: %s\n", msg)
	if strings.Contains(msg, "unknown command") || strings.Contains(msg, "flag") {
		fmt.Fprintln(env.stderr, "Run 'leakhound --help' for usage.")
	}
	return exitError
}
