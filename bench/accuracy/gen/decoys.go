package main

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// decoys lists things that look like secrets and are not, each under the category of what
// it imitates.
var decoys = []maker{
	decoy(catGeneric, "password", lit("changeme")),
	decoy(catGeneric, "db_password", lit("${DB_PASSWORD}")),
	decoy(catGeneric, "api_key", lit("<your-api-key>")),
	decoy(catGeneric, "secret", lit("{{ .Values.secret }}")),
	decoy(catGeneric, "token", lit("xxxxxxxxxxxxxxxxxxxxxxxx")),
	decoy(catGeneric, "password", lit("%(db_password)s")),
	decoy(catGeneric, "password", lit("SuperSecretPassword123")),
	decoy(catGeneric, "password", lit("P@ssw0rd2024!")),
	decoy(catGeneric, "password", lit("true")),
	decoy(catGeneric, "api_key", lit("12345678901234")),
	decoy(catGeneric, "password_file", lit("/run/secrets/db_password")),
	decoy(catGeneric, "token_url", lit("https://auth.internal/oauth/token")),
	decoy(catGeneric, "client_secret", func(g *gen) string { return g.uuid() }),
	decoy(catGeneric, "secret_name", lit("prod-database-credentials")),
	decoy(catGeneric, "token_hash", func(g *gen) string { return hex.EncodeToString(g.bytes(20)) }),
	decoy(catGeneric, "api_key_header", lit("X-Api-Key")),
	rawDecoy(catGeneric, ".py", lit(`token = os.environ["API_TOKEN"]`)),
	rawDecoy(catGeneric, ".js", lit(`const secret = process.env.CLIENT_SECRET;`)),
	rawDecoy(catGeneric, ".java", lit(`String password = config.getPassword();`)),
	rawDecoy(catGeneric, ".go", lit(`token := tokenizer.NextToken()`)),
	rawDecoy(catGeneric, ".json", func(g *gen) string {
		return `      "integrity": "sha512-` + base64.StdEncoding.EncodeToString(g.bytes(64)) + `",`
	}),
	rawDecoy(catGeneric, ".sum", func(g *gen) string {
		return "github.com/acme/lib v1.4.2 h1:" + base64.StdEncoding.EncodeToString(g.bytes(32))
	}),
	rawDecoy(catGeneric, ".html", func(g *gen) string {
		return `<script src="https://cdn.example.net/lib.js" integrity="sha384-` +
			base64.StdEncoding.EncodeToString(g.bytes(48)) + `" crossorigin="anonymous"></script>`
	}),
	rawDecoy(catGeneric, "", func(g *gen) string {
		return "FROM golang:1.22@sha256:" + hex.EncodeToString(g.bytes(32))
	}),
	rawDecoy(catGeneric, ".yaml", func(g *gen) string { return "commit: " + hex.EncodeToString(g.bytes(20)) }),
	rawDecoy(catGeneric, ".css", func(g *gen) string {
		return ".logo { background: url(data:image/png;base64," +
			base64.StdEncoding.EncodeToString(g.bytes(90)) + "); }"
	}),
	rawDecoy(catKeys, ".pub", func(g *gen) string {
		return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + base64.StdEncoding.EncodeToString(g.bytes(32)) +
			" deploy@ci"
	}),
	rawDecoy(catKeys, ".pem", func(g *gen) string { return g.pem("PUBLIC KEY", 290) }),
	rawDecoy(catKeys, ".pem", func(g *gen) string { return g.pem("CERTIFICATE", 700) }),
	rawDecoy(catKeys, ".md", lit("-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----")),
	decoy(catCloud, "aws_access_key_id", lit("AKIAIOSFODNN7EXAMPLE")),
	decoy(catCloud, "aws_secret_access_key", lit("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
	decoy(catPayments, "stripe_key", lit("sk_test_4eC39HqLyjWDarjtT1zdp7dc")),
	decoy(catJWT, "example_token", lit("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwib"+
		"mFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")),
	decoy(catVCS, "github_token", func(g *gen) string { return breakLast(g.github("ghp_")) }),
	decoy(catRegistry, "npm_token", func(g *gen) string { return breakLast(g.github("npm_")) }),
	decoy(catVCS, "github_token", lit("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")),
	decoy(catSaaS, "grafana_token", func(g *gen) string { return breakLast(g.grafana()) }),
	decoy(catVCS, "atlassian_token", func(g *gen) string {
		return breakLast(crcHexSuffix("ATATT3xFfGF0" + g.mixed(b64url, 180) + "="))
	}),
	decoy(catKeys, "age_key", func(g *gen) string { return breakLast(g.age()) }),
	decoy(catURL, "database_url", lit("postgres://app:${DB_PASSWORD}@db:5432/app")),
	decoy(catURL, "docs_url", lit("https://user:password@example.com/path")),
	decoy(catJWT, "token", func(g *gen) string { return "eyJhbGciOi." + g.mixed(b64url, 40) + "." + g.mixed(b64url, 20) }),
	decoy(catAI, "model", lit("sk-ant-model-claude-3-haiku")),
	decoy(catGeneric, "session_key_prefix", lit("sess-user-profile-cache")),
	decoy(catGeneric, "encryption_key_id", func(g *gen) string {
		return "arn:aws:kms:us-east-1:123456789012:key/" + g.uuid()
	}),
}

// breakLast changes the last character of a checksummed token so the checksum fails.
func breakLast(s string) string {
	last := s[len(s)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	if strings.ContainsRune("0123456789abcdef", rune(last)) {
		repl = "123456789abcdef0"[strings.IndexByte("0123456789abcdef", last)]
	}
	return s[:len(s)-1] + string(repl)
}
