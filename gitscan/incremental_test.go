package gitscan

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
	"github.com/leakhound/leakhound/internal/fixture"
)

// TestIncrementalMatchesFull checks that scanning blobs incrementally from their delta bases
// finds exactly what scanning every blob whole finds: the same secrets, at the same commits,
// paths, lines and columns, in the same order. The history edits files around secrets the
// way real histories do: lines added, removed and changed next to them, a secret that
// appears, moves and is removed, a private key spanning lines, base64 that hides a secret,
// and a merge; it is then repacked so that most blobs are deltas.
func TestIncrementalMatchesFull(t *testing.T) {
	r := newTestRepo(t)
	pem := privateKeyExample(t)
	rng := rand.New(rand.NewPCG(7, 8))

	var lines []string
	for i := range 120 {
		lines = append(lines, fmt.Sprintf("setting_%d = value %d", i, i))
	}
	for i := range 90 {
		switch i {
		case 40:
			r.git("checkout", "-q", "-b", "side")
		case 60:
			r.git("checkout", "-q", "main")
		}
		at := rng.IntN(len(lines) + 1)
		switch i % 6 {
		case 0:
			lines = insert(lines, at, "aws_key = "+fakeKey(uint64(i)))
		case 1:
			lines = insert(lines, at, "token: "+fixture.GitHubPAT(uint64(i)))
		case 2:
			secret := "password=" + fixture.GitHubPAT(uint64(1000+i))
			lines = insert(lines, at, "blob: "+base64.StdEncoding.EncodeToString([]byte(secret)))
		case 3:
			if len(lines) > 10 {
				lines = append(lines[:at%len(lines)], lines[at%len(lines)+1:]...)
			}
		case 4:
			lines[at%len(lines)] += " # edited"
		default:
			lines = insert(lines, at, fmt.Sprintf("note %d", i))
		}
		r.write("app.env", strings.Join(lines, "\n")+"\n")
		keyFile := "before\n" + pem + "\nafter " + fmt.Sprint(i%4) + "\n"
		if i%9 == 4 {
			keyFile = strings.Replace(keyFile, "\n", fmt.Sprintf("\n# line %d\n", i), 3)
		}
		r.write("keys/id_rsa", keyFile)
		r.commit(fmt.Sprintf("step %d", i))
	}
	r.git("merge", "-q", "--no-edit", "-X", "ours", "side")
	r.git("repack", "-a", "-d", "-f", "--depth=50", "--window=250")
	r.git("prune-packed")

	for _, jobs := range []int{1, 2} {
		full, fullSt, err := scanRepo(t, r.dir, Options{FullScan: true, Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		inc, incSt, err := scanRepo(t, r.dir, Options{Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		if len(full) < 30 {
			t.Fatalf("only %d findings: the fixture lost its secrets", len(full))
		}
		if diff := cmp.Diff(describe(full), describe(inc)); diff != "" {
			t.Errorf("jobs %d: incremental findings differ from full (-full +incremental):\n%s",
				jobs, diff)
		}
		if fullSt.Incremental != 0 {
			t.Errorf("jobs %d: full scan scanned %d blobs incrementally", jobs, fullSt.Incremental)
		}
		if incSt.Incremental < incSt.Blobs/2 {
			t.Errorf("jobs %d: %d of %d blobs scanned incrementally; want most", jobs,
				incSt.Incremental, incSt.Blobs)
		}
	}
}

func insert(lines []string, at int, s string) []string {
	return append(lines[:at], append([]string{s}, lines[at:]...)...)
}

// privateKeyExample returns the first example of the built-in RSA private key rule, a
// synthetic key that spans lines.
func privateKeyExample(t *testing.T) string {
	cfg, err := detectors.BuiltinTOML()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cfg.Rules {
		if r.ID == "private-key-rsa" && len(r.Examples) > 0 {
			return r.Examples[0]
		}
	}
	t.Fatal("no private-key-rsa example")
	return ""
}

// describe renders every field of each finding, the secret included, one line per finding.
func describe(fs []*finding.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		secret := f.Secret
		f.Secret = finding.Secret{}
		out = append(out, fmt.Sprintf("%+v secret=%q", *f, secret.Reveal()))
		f.Secret = secret
	}
	return out
}
