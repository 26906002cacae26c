package report

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// screenshotEnv names a PNG file the browser test writes a screenshot of the HTML report to.
const screenshotEnv = "LEAKHOUND_SCREENSHOT"

// pageEvents collects what a page did: console errors and network requests.
type pageEvents struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

func (e *pageEvents) listen(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			e.errors = append(e.errors, fmt.Sprintf("console.error with %d args", len(ev.Args)))
		}
	case *runtime.EventExceptionThrown:
		e.errors = append(e.errors, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			e.errors = append(e.errors, "log: "+ev.Entry.Text)
		}
	case *network.EventRequestWillBeSent:
		e.requests = append(e.requests, ev.Request.URL)
	}
}

func (e *pageEvents) snapshot() (errs, reqs []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.errors), slices.Clone(e.requests)
}

// newBrowser starts a headless Chromium with a fresh profile that keeps to itself: no
// background networking, component updates or sync, and host names that resolve nowhere,
// so that only the file under test is ever loaded.
func newBrowser(t *testing.T, events *pageEvents) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("LEAKHOUND_REQUIRE_BROWSER") != "" {
			t.Fatalf("%s is missing and LEAKHOUND_REQUIRE_BROWSER is set", chromiumPath)
		}
		t.Skipf("skipping the browser test: %s is missing (apt-get install chromium)",
			chromiumPath)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(events.listen))
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

func TestHTMLInBrowser(t *testing.T) {
	var events pageEvents
	ctx := newBrowser(t, &events)
	pageURL := writeTestPage(t)

	openPage(t, ctx, pageURL)
	if got, want := visibleRows(t, ctx), len(testFindings()); got != want {
		t.Errorf("table shows %d rows, want %d", got, want)
	}
	chooseRule(t, ctx, "github-pat")
	if got, want := visibleRows(t, ctx), 2; got != want {
		t.Errorf("rule filter github-pat leaves %d rows, want %d", got, want)
	}
	checkRowRules(t, ctx, "github-pat")

	// Each text filter starts from a fresh page rather than clearing the last one:
	// chromedp.SetValue cannot set an empty value (see docs/reports.md).
	for _, c := range []struct {
		id, text string
		want     int
	}{
		{"f-path", "deploy", 1},
		{"f-path", "CONFIG/", 2},
		{"f-author", "alice", 3},
		{"f-author", "eve@", 1},
		{"f-author", "nobody", 0},
	} {
		openPage(t, ctx, pageURL)
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(c.id), c.text)); err != nil {
			t.Fatalf("type %q into #%s: %v", c.text, c.id, err)
		}
		if got := visibleRows(t, ctx); got != c.want {
			t.Errorf("filter #%s %q leaves %d rows, want %d", c.id, c.text, got, c.want)
		}
	}

	errs, reqs := events.snapshot()
	if len(errs) > 0 {
		t.Errorf("page logged errors: %q", errs)
	}
	for _, r := range reqs {
		if r != pageURL {
			t.Errorf("page requested %q; want no request but %q", r, pageURL)
		}
	}
	if len(reqs) == 0 {
		t.Errorf("saw no request at all; the network listener is not working")
	}
	if shot := os.Getenv(screenshotEnv); shot != "" {
		openPage(t, ctx, pageURL)
		if err := saveScreenshot(ctx, shot); err != nil {
			t.Error(err)
		}
	}
}

// writeTestPage writes the HTML report of the test findings and returns its file URL.
func writeTestPage(t *testing.T) string {
	t.Helper()
	page := filepath.Join(t.TempDir(), "report.html")
	out, err := render("html", testOptions, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: page}).String()
}

func openPage(t *testing.T, ctx context.Context, pageURL string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.CSS("#findings")))
	if err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}
}

// visibleRows counts the table rows the filters leave visible.
func visibleRows(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`document.querySelectorAll("#findings tbody tr:not([hidden])").length`))
	if err != nil {
		t.Fatalf("count rows: %v", err)
	}
	return n
}

// checkRowRules checks that every visible row is of rule.
func checkRowRules(t *testing.T, ctx context.Context, rule string) {
	t.Helper()
	rules, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#findings tbody tr:not([hidden])"),
			tr => tr.dataset.rule)`))
	if err != nil {
		t.Fatalf("read row rules: %v", err)
	}
	for _, r := range rules {
		if r != rule {
			t.Errorf("visible row of rule %q, want only %q", r, rule)
		}
	}
}

// chooseRule selects a rule in the filter; SetValue fires input and change events as a
// person's choice would.
func chooseRule(t *testing.T, ctx context.Context, rule string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("f-rule"), rule))
	if err != nil {
		t.Fatalf("choose rule %q: %v", rule, err)
	}
}

// saveScreenshot writes a PNG of the whole page to path, for the documentation.
func saveScreenshot(ctx context.Context, path string) error {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("screenshot html report: %w", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("write screenshot: %w", err)
	}
	return nil
}
