package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/leakhound/leakhound/finding"
)

// jsonlReporter writes one Record per line as each finding arrives, so a consumer can read
// findings while the scan goes on. It writes nothing at Close.
type jsonlReporter struct {
	enc  *json.Encoder
	opts Options
}

func newJSONL(w io.Writer, opts Options) *jsonlReporter {
	return &jsonlReporter{enc: json.NewEncoder(w), opts: opts}
}

func (r *jsonlReporter) Add(f *finding.Finding) error {
	if err := r.enc.Encode(NewRecord(f, r.opts)); err != nil {
		return fmt.Errorf("write jsonl record: %w", err)
	}
	return nil
}

func (r *jsonlReporter) Close(*Summary) error {
	return nil
}
