package detectors

// A filter judges a candidate in its context and reports whether to keep it. Filters hold
// what rules as data cannot express; rules name them in their filter field.
type filter func(c *candidate) bool

// filters is the registry of filters, named by a rule's filter field.
var filters = map[string]filter{
	"generic": keepGeneric,
}
