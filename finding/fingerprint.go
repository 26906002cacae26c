package finding

import (
	"crypto/sha256"
	"encoding/hex"
)

// Fingerprint returns the content fingerprint of a finding: a hash of the rule id, the path
// and the secret. It does not depend on the commit or the line, so it survives rebases,
// squashes and line moves, and it never contains the secret itself.
func Fingerprint(ruleID, path, secret string) string {
	h := sha256.New()
	h.Write([]byte(ruleID))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	sum := h.Sum(nil)
	return ruleID + ":" + path + ":" + hex.EncodeToString(sum[:12])
}
