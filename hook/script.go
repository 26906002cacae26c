package hook

import (
	"fmt"
	"strings"
)

// script returns the shell script for one hook. It runs a chained hook first with the same
// arguments (and, for pre-push, the same standard input), stops if that fails, then runs
// leakhound by absolute path, or from PATH if that binary is gone. A global script also runs
// the repository's own hook in .git/hooks, which git skips once core.hooksPath is set.
func script(k Kind, exe string, global bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n%s %s\n", marker, k)
	b.WriteString("# Written by `leakhound hook install`. `leakhound hook uninstall` removes " +
		"it\n# and puts back the hook it chained, kept beside it as " + string(k) +
		ChainedSuffix + ".\n")
	fmt.Fprintf(&b, "leakhound=%s\n", shellQuote(exe))
	b.WriteString("[ -x \"$leakhound\" ] || leakhound=leakhound\n")
	fmt.Fprintf(&b, "chained=\"$(dirname -- \"$0\")/%s%s\"\n", k, ChainedSuffix)
	if global {
		fmt.Fprintf(&b, "local_hook=\"$(git rev-parse --git-common-dir)/hooks/%s\"\n", k)
	}
	switch k {
	case PrePush:
		b.WriteString("input=$(cat)\n")
		b.WriteString(runChained("printf '%s\\n' \"$input\" | ", global))
		b.WriteString("printf '%s\\n' \"$input\" | \"$leakhound\" pre-push \"$@\"\n")
	case CommitMsg:
		b.WriteString(runChained("", global))
		b.WriteString("exec \"$leakhound\" commit-msg \"$1\"\n")
	default:
		b.WriteString(runChained("", global))
		b.WriteString("exec \"$leakhound\" staged\n")
	}
	return b.String()
}

// runChained is the shell that runs the chained hook, and for a global script the
// repository's own hook, each fed by feed, stopping the hook if one fails.
func runChained(feed string, global bool) string {
	s := "if [ -x \"$chained\" ]; then\n\t" + feed + "\"$chained\" \"$@\" || exit $?\nfi\n"
	if global {
		s += "if [ -x \"$local_hook\" ] && [ \"$local_hook\" != \"$0\" ]; then\n\t" + feed +
			"\"$local_hook\" \"$@\" || exit $?\nfi\n"
	}
	return s
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
