package report

import (
	"errors"

	"github.com/leakhound/leakhound/finding"
)

// Multi is a Reporter that hands every finding and the closing summary to each of its
// reporters in order, so one scan can write several reports. A reporter's error does not stop
// the others; the errors are joined. The zero value is an empty fan-out.
type Multi []Reporter

// Add passes f to every reporter.
func (m Multi) Add(f *finding.Finding) error {
	var errs []error
	for _, r := range m {
		errs = append(errs, r.Add(f))
	}
	return errors.Join(errs...)
}

// Close closes every reporter with sum.
func (m Multi) Close(sum *Summary) error {
	var errs []error
	for _, r := range m {
		errs = append(errs, r.Close(sum))
	}
	return errors.Join(errs...)
}
