package detectors

import (
	"slices"
	"strings"
	"testing"
)

// naiveHits finds every case-insensitive keyword occurrence the slow, obvious way.
func naiveHits(keywords []string, text []byte) []keywordHit {
	lowb := make([]byte, len(text))
	for i, c := range text {
		lowb[i] = fold[c]
	}
	low := string(lowb)
	var out []keywordHit
	for i := 0; i < len(low); i++ {
		for k, w := range keywords {
			if strings.HasPrefix(low[i:], strings.ToLower(w)) {
				out = append(out, keywordHit{kw: k, start: i, end: i + len(w)})
			}
		}
	}
	return out
}

func sortHits(h []keywordHit) {
	slices.SortFunc(h, func(a, b keywordHit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.kw - b.kw
	})
}

func TestPrefilter(t *testing.T) {
	keywords := []string{"ghp_", "AKIA", "token", "tok", "x", "api_key", "api", "-----BEGIN"}
	tests := []string{
		"",
		"t",
		"GHP_abc akia TOKEN api_key_token",
		"tokentoken apiapi_KEY",
		"-----begin RSA -----BEGIN x",
		"\x00\xffAKIAAKIA",
	}
	p := newPrefilter(keywords)
	for _, text := range tests {
		got := p.find([]byte(text), nil)
		want := naiveHits(keywords, []byte(text))
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Errorf("find(%q) = %v, want %v", text, got, want)
		}
	}
}

func FuzzPrefilter(f *testing.F) {
	f.Add([]byte("ghp_ AKIA token"), "toK")
	f.Fuzz(func(t *testing.T, text []byte, extra string) {
		keywords := []string{"ghp_", "akia", "token", "-----begin"}
		if extra != "" && !strings.ContainsFunc(extra, func(r rune) bool { return r >= 0x80 }) {
			keywords = append(keywords, extra)
		}
		got := newPrefilter(keywords).find(text, nil)
		want := naiveHits(keywords, text)
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("find(%q) with %q = %v, want %v", text, keywords, got, want)
		}
	})
}
