package detectors

import (
	"bytes"
	"encoding/base64"
	"regexp"

	"github.com/leakhound/leakhound/entropy"
)

// keepGeneric judges a value assigned to a name like password, secret, token or API key. It
// keeps the value only when it is not a placeholder, a reference to where the secret lives,
// a value of a non-secret shape (boolean, number, path, URL, UUID, e-mail address, hash,
// public key), not named for something else (a public key, a file, a URL) and when it looks
// machine-random by entropy.LooksRandom.
func keepGeneric(c *candidate) bool {
	v := c.secret
	switch {
	case isPlaceholder(v), isReference(c), isNonSecretShape(v), isHashInContext(c):
		return false
	case nonSecretName(keyOf(c)), publicMaterial(c.line), isSlug(v):
		return false
	case bytes.HasPrefix(v, []byte("eyJ")) && bytes.Count(v, []byte(".")) == 2:
		return validJWT(string(v)) // JWT-shaped: only a well-formed one is a secret
	}
	if text, ok := base64Text(v); ok {
		return entropy.LooksRandom(text) // base64 of a word ("ACCESS_KEY") is not a key
	}
	return entropy.LooksRandom(v)
}

// base64Text decodes v when it is standard base64 of printable ASCII of eight or more bytes.
func base64Text(v []byte) ([]byte, bool) {
	if len(v)%4 != 0 || len(v) < 12 {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(string(v))
	if err != nil || len(b) < 8 {
		return nil, false
	}
	b = bytes.TrimSpace(b)
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return nil, false
		}
	}
	return b, true
}

// placeholderParts are substrings that mark a value as standing in for a real secret.
var placeholderParts = [][]byte{
	[]byte("xxxx"), []byte("****"), []byte("...."), []byte("changeme"), []byte("change_me"),
	[]byte("change-me"), []byte("placeholder"), []byte("example"), []byte("sample"),
	[]byte("dummy"), []byte("redacted"), []byte("your_"), []byte("your-"), []byte("yourkey"),
	[]byte("insert"), []byte("replace"), []byte("todo"), []byte("fixme"), []byte("_here"),
	[]byte("<"), []byte(">"), []byte("${"), []byte("{{"), []byte("}}"), []byte("%("),
	[]byte("$("), []byte("#{"), []byte("@{"), []byte("{env"), []byte("secretref"),
	[]byte("&amp"), []byte("&#"), []byte("&lt"), []byte("&gt"), []byte("&quot"),
}

func isPlaceholder(v []byte) bool {
	low := bytes.ToLower(v)
	for _, p := range placeholderParts {
		if bytes.Contains(low, p) {
			return true
		}
	}
	switch v[0] {
	case '$', '%', '@', '&', '*', '!', ':', '=', '.', '-', '/', ',', '|':
		return true
	}
	return bytes.Count(v, v[:1]) == len(v)
}

// referenceParts mark a value that names where a secret comes from instead of holding it.
var referenceParts = [][]byte{
	[]byte("process.env"), []byte("os.environ"), []byte("getenv"), []byte("env["),
	[]byte("env."), []byte("config."), []byte("settings."), []byte("secrets."), []byte("vars."),
	[]byte("self."), []byte("this."), []byte("params."), []byte("props."), []byte("options."),
	[]byte("credentials."), []byte("request."), []byte("args."),
}

var (
	identifierPath = regexp.MustCompile(`^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+$`)
	identifier     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// isReference reports code that computes the value: a call, an index or member access right
// after it, a dotted identifier path, an environment lookup, or a bare unquoted identifier.
func isReference(c *candidate) bool {
	v := c.secret
	switch c.after {
	case '(', '[':
		return true
	case '.':
		if len(c.next) > 1 && isIdentByte(c.next[1]) {
			return true
		}
	}
	low := bytes.ToLower(v)
	for _, p := range referenceParts {
		if bytes.Contains(low, p) {
			return true
		}
	}
	if identifierPath.Match(v) {
		return true
	}
	quoted := c.before == '"' || c.before == '\'' || c.before == '`'
	return !quoted && identifier.Match(v) && !hasDigit(v)
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func hasDigit(v []byte) bool {
	return bytes.ContainsAny(v, "0123456789")
}

var (
	numberLike = regexp.MustCompile(`^[+-]?[0-9][0-9._:,/+-]*[a-zA-Z]{0,3}$`)
	uuidLike   = regexp.MustCompile(`^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-` +
		`[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$`)
	emailLike = regexp.MustCompile(`^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$`)
	fileLike  = regexp.MustCompile(`(?i)\.(?:json|ya?ml|pem|key|crt|cer|txt|conf|cfg|ini|env|` +
		`properties|xml|p12|pfx|jks|keystore|toml|gpg|asc|sh|py|js|ts|go|rb|php|html?)$`)
	booleanLike = regexp.MustCompile(`^(?i:true|false|null|nil|none|undefined|yes|no|on|off|` +
		`enabled|disabled|required|optional)$`)
)

// hashPrefixes start encoded digests and password hashes, which are not credentials.
var hashPrefixes = [][]byte{
	[]byte("sha1-"), []byte("sha256-"), []byte("sha384-"), []byte("sha512-"), []byte("sha1:"),
	[]byte("sha256:"), []byte("sha512:"), []byte("md5:"), []byte("h1:"), []byte("$2a$"),
	[]byte("$2b$"), []byte("$2y$"), []byte("$argon2"), []byte("$6$"), []byte("$5$"),
	[]byte("pbkdf2"),
}

// isNonSecretShape reports values whose shape says they are not a credential.
func isNonSecretShape(v []byte) bool {
	switch {
	case booleanLike.Match(v), numberLike.Match(v), uuidLike.Match(v), emailLike.Match(v):
		return true
	case bytes.Contains(v, []byte("://")), fileLike.Match(v):
		return true
	case v[0] == '/' || v[0] == '~' || bytes.HasPrefix(v, []byte("./")) ||
		bytes.HasPrefix(v, []byte("../")) || len(v) > 2 && v[1] == ':' && v[2] == '\\':
		return true
	}
	low := bytes.ToLower(v)
	for _, p := range hashPrefixes {
		if bytes.HasPrefix(low, p) {
			return true
		}
	}
	return false
}

// hashContextWords, on the line of an all-hex value, say it is a digest or an identifier.
var hashContextWords = [][]byte{
	[]byte("integrity"), []byte("checksum"), []byte("digest"), []byte("sha"), []byte("hash"),
	[]byte("commit"), []byte("revision"), []byte("etag"), []byte("fingerprint"), []byte("md5"),
}

func isHashInContext(c *candidate) bool {
	if !isAllHex(c.secret) {
		return false
	}
	low := bytes.ToLower(c.line)
	for _, w := range hashContextWords {
		if bytes.Contains(low, w) {
			return true
		}
	}
	return false
}

func isAllHex(v []byte) bool {
	for _, b := range v {
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F') {
			return false
		}
	}
	return true
}

// publicMarkers on a line mean its material is public: a public key, a certificate, or a
// data URI.
var publicMarkers = [][]byte{
	[]byte("ssh-rsa "), []byte("ssh-ed25519 "), []byte("ecdsa-sha2-"), []byte("PUBLIC KEY"),
	[]byte("BEGIN CERTIFICATE"), []byte(";base64,"),
}

func publicMaterial(line []byte) bool {
	for _, m := range publicMarkers {
		if bytes.Contains(line, m) {
			return true
		}
	}
	return false
}

// keyOf returns the name the secret is assigned to: the last run of name characters in the
// match before the secret, past the quotes and assignment operator.
func keyOf(c *candidate) []byte {
	key := c.match
	if i := bytes.LastIndex(key, c.secret); i >= 0 {
		key = key[:i]
	}
	key = bytes.TrimRight(key, "\"'` \t:=>-[<{")
	i := len(key)
	for i > 0 && (isIdentByte(key[i-1]) || key[i-1] >= '0' && key[i-1] <= '9' ||
		key[i-1] == '.' || key[i-1] == '-') {
		i--
	}
	if bytes.EqualFold(key[i:], []byte("value")) {
		if _, attr, ok := bytes.Cut(c.match, []byte(`key="`)); ok {
			name, _, _ := bytes.Cut(attr, []byte(`"`))
			return name
		}
	}
	return key[i:]
}

// nonSecretWords, as a word of the name a value is assigned to, say the value is about a
// secret rather than the secret itself (password_file, token_url, public_key, secret_name).
var nonSecretWords = map[string]bool{
	"public": true, "pub": true, "hash": true, "hashed": true, "checksum": true, "digest": true,
	"fingerprint": true, "integrity": true, "file": true, "path": true, "dir": true, "url": true,
	"uri": true, "endpoint": true, "name": true, "type": true, "field": true, "label": true,
	"prompt": true, "hint": true, "header": true, "length": true, "len": true, "ttl": true,
	"expiry": true, "expires": true, "expiration": true, "timeout": true, "format": true,
	"policy": true, "regex": true, "pattern": true, "min": true, "max": true, "id": true,
	"placeholder": true, "count": true, "mode": true, "method": true, "enabled": true,
	"required": true, "version": true, "location": true, "ref": true, "arn": true,
	"provider": true, "manager": true, "store": true, "class": true, "template": true,
	"validation": true, "reset": true, "rotation": true, "strength": true, "size": true,
}

// nonSecretName reports whether the name before the value has a word from nonSecretWords.
func nonSecretName(key []byte) bool {
	for _, w := range splitWords(key) {
		if nonSecretWords[w] {
			return true
		}
	}
	return false
}

// splitWords splits an identifier into lower-case words at punctuation and camelCase humps.
func splitWords(key []byte) []string {
	var words []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for i, b := range key {
		switch {
		case b >= 'A' && b <= 'Z':
			if i > 0 && key[i-1] >= 'a' && key[i-1] <= 'z' {
				flush()
			}
			cur = append(cur, b+'a'-'A')
		case b >= 'a' && b <= 'z' || b >= '0' && b <= '9':
			cur = append(cur, b)
		default:
			flush()
		}
	}
	flush()
	return words
}

// isSlug reports a value made of letter-only words joined by '-', '_' or '.', such as
// "age-secret-key" or "db_password_v", which names something rather than being random.
func isSlug(v []byte) bool {
	if !bytes.ContainsAny(v, "-_.") {
		return false
	}
	for _, part := range bytes.FieldsFunc(v, func(r rune) bool {
		return r == '-' || r == '_' || r == '.'
	}) {
		for _, b := range part {
			if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z') {
				return false
			}
		}
	}
	return true
}
