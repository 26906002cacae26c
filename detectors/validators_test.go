package detectors

import "testing"

// validatorCase is one secret and whether a validator should accept it. The valid secrets
// are synthetic: random bodies with checksums computed by a separate program.
type validatorCase struct {
	name   string
	secret string
	want   bool
}

func runValidatorCases(t *testing.T, name string, cases []validatorCase) {
	t.Helper()
	v := validators[name]
	if v == nil {
		t.Fatalf("validator %q is not registered", name)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := v(c.secret); got != c.want {
				t.Errorf("%s(%q) = %v, want %v", name, c.secret, got, c.want)
			}
		})
	}
}

func TestValidCRC32Base62(t *testing.T) {
	runValidatorCases(t, "crc32-base62", []validatorCase{
		{"ghp", "ghp_" + "ZmCyXGLvgauWN4cfm9iEbqPy7qyex92fHKk7", true},
		{"npm", "npm_" + "VbwIxSWgYkvCyKH1rjwW3CCtDfbaOp2XezxI", true},
		{"ghr", "ghr_XTp40o9o7Ft9E5VMh1choUyXEwBu0uJl0GQE1FAzYBKte0khU9t0jTIquEq55KlTood" +
			"Kr62Rk9sN", true},
		{"wrong checksum", "gho_NJx1NZr7fHjzE2gwoldFJBwZNQsgSr3rMoyA", false},
		{"case changed", "ghp_zmCyXGLvgauWN4cfm9iEbqPy7qyex92fHKk7", false},
		{"too short", "ghp_abc123", false},
	})
}

func TestValidCRC32HexSuffix(t *testing.T) {
	runValidatorCases(t, "crc32-hex-suffix", []validatorCase{
		{"atlassian", "ATATT3xFfGF08v2xvjW-gSK3YnVAK-p3ZOh1jX7nnWEMB75BloHbWACfEQszgjjIP7Pu" +
			"araHuKfFiEkuu-f9knYbUOlbzl83Ztmt5UPvRjMYyXoG=21FA9B7F", true},
		{"bitbucket", "ATBB" + "s3N4dSoWB9Q2go9wojZbn7DH06DAF52E", true},
		{"wrong checksum", "ATBBUaFhKvovXTYFPwKMtcmXvn919C824610", false},
		{"not hex", "ATBBs3N4dSoWB9Q2go9wojZbn7DH06DAF5ZZ", false},
		{"too short", "1234ABCD", false},
	})
}

func TestValidGitLabRoutable(t *testing.T) {
	runValidatorCases(t, "gitlab-routable", []validatorCase{
		{"27-byte payload", "glpat-" + "S2TsWqW5QZGF7RpB1Posm972EpT.0r1adylxc", true},
		{"64-byte payload", "glpat-Ys-tpUYGaDx-t--lY3YKM6drRGZyLsQcZCJ859_3iz5mgIP8fKCtjvC5ulOlD2h" +
			"4.1s0srbu1l", true},
		{"versioned", "glpat-" + "svRDsePrPV_a2h1m6q80PkgwS_l1mI7.01.0v1qn7hnp", true},
		{"wrong checksum", "glpat-3JXFe0dRqew6HKKe8pZfZNnSTl5.0r01cxj4A", false},
		{"wrong length field", "glpat-FO7UXkkga4XzQ6pACGRkenj5_e_.0s17rewfg", false},
		{"no dot", "glpat-S2TsWqW5QZGF7RpB1Posm972EpT", false},
		{"short tail", "glpat-S2TsWqW5QZGF7RpB1Posm972EpT.0r1ad", false},
	})
}

func TestValidGrafanaCRC32(t *testing.T) {
	runValidatorCases(t, "grafana-crc32", []validatorCase{
		{"token 1", "glsa_" + "wVqtfZwgNDy60iubxN3nFkrufPb6Yrl2_961805f6", true},
		{"token 2", "glsa_" + "BD6dJMUUhyIFmeW1y8PSjWelljSTpXBD_89488fec", true},
		{"wrong checksum", "glsa_D1vUpBnthKY6Ysg8kI2jWG8LZdyaT74a_a26b77e6", false},
		{"big-endian checksum", "glsa_wVqtfZwgNDy60iubxN3nFkrufPb6Yrl2_f6051896", false},
		{"too short", "glsa_wVqtfZwgNDy60iubxN3nFkrufPb6Yrl_961805f6", false},
		{"not hex", "glsa_wVqtfZwgNDy60iubxN3nFkrufPb6Yrl2_9618zzf6", false},
	})
}

func TestValidAgeBech32(t *testing.T) {
	runValidatorCases(t, "age-bech32", []validatorCase{
		{"key 1", "AGE-SECRET-KEY-1" + "FHDRDTGRXENQXRM92W27SLDEC4EZ7MY8SF43R9EP8V66SQUPLW8QMPRR9N", true},
		{"key 2", "AGE-SECRET-KEY-1" + "WNVY3FCEFAS5YJU08N9ULGTUY79DJTCNJZSYL6F9ASUV2D93VRTQXAZFVZ", true},
		{"wrong checksum", "AGE-SECRET-KEY-1WS38PN3F522M4SS93VH4AFXZ0YGMZWRAF53YGFVAJV62SP6TPRLQR4W996",
			false},
		{"not bech32", "AGE-SECRET-KEY-1BHDRDTGRXENQXRM92W27SLDEC4EZ7MY8SF43R9EP8V66SQUPLW8QMPRR9N",
			false},
		{"other prefix", "AGE-PUBLIC-KEY-1FHDRDTGRXENQXRM92W27SLDEC4EZ7MY8SF43R9EP8V66SQUPLW8QMPRR9N",
			false},
		{"no separator", "AGE-SECRET-KEY-", false},
	})
}

func TestValidJWT(t *testing.T) {
	const sig = ".QXuyY8Rhg2-VKgv4tj9prYK8hEH_aheyTAcIG2De3_w"
	runValidatorCases(t, "jwt", []validatorCase{
		{"hs256", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxOTE5MTg5NzY3IiwibmFtZSI6Indi" +
			"b2V5cWNhIiwiaWF0IjoxNzAxNzU2MTI3fQ" + sig, true},
		{"padded", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9" + sig, true},
		{"payload not json", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.bm90IGpzb24gYXQgYWxsLCBuamhvcXpjYm" +
			"RrdWc" + sig, false},
		{"header without alg", "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiI0MiJ9" + sig, false},
		{"payload is an array", "eyJhbGciOiJIUzI1NiJ9.WzEsMiwzXQ" + sig, false},
		{"two parts", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9", false},
		{"bad base64", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9x" + sig, false},
	})
}

func TestValidPyPIMacaroon(t *testing.T) {
	runValidatorCases(t, "pypi-macaroon", []validatorCase{
		{"user token", "pypi-" + "AgEIcHlwaS5vcmcCUnsidmVyc2lvbiI6IDEsICJwZXJtaXNzaW9ucyI6ICJ1c2VyIi" +
			"wgIm5vbmNlIjogImNlNWYzYTcxNTJjNmRjYzY5MDY1MmYzZDc4ZGU0NjU1In0AAixbeyJuYmYiOiAxNzAwMDA" +
			"wMDAwLCAiZXhwIjogMTkwMDAwMDAwMH1dAAAGIIHLr9dqzcz3Eg3nDwG4sJdPzbK42Rd7tmqWZx4r_xzx", true},
		{"other location", "pypi-AgEIdGVzdC5vcmcCEP3omD6Tci0rvyd-sOCKsam7DnwXCwDxjft4M2hfSUSTu7T5Y" +
			"ZwjiRcLI3JAm3soEXz-j24Aw6feVlu16g", false},
		{"no identifier tag", "pypi-AgEIcHlwaS5vcmcAUnsidmVyc2lvbiI6IDF9", false},
		{"bad length", "pypi-AgEIcHlwaS5vcmcCUnsidmVyc2lvbiI6IDF9a", false},
		{"no prefix", "AgEIcHlwaS5vcmcCUnsidmVyc2lvbiI6IDF9", false},
	})
}

func TestValidPEMBody(t *testing.T) {
	const body = "MIIAPG9pgVZddyQc9IHhdv+XdEq7XS9lf0Rp03xL5q/rJadXG7+5Ytue+3KnxoFT\n" +
		"GL9zZN1yRlkDf0kfA0o3EQ==\n"
	const begin, end = "-----BEGIN RSA PRIVATE KEY-----\n", "-----END RSA PRIVATE KEY-----"
	const pgpBegin = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
	const pgpBody = "lQHYOhvyw+VE3ixuny7L8rr2Nx49gmBmnhTT3LM5EW00Fazeq9Imyb7+OQ==\n"
	const pgpEnd = "-----END PGP PRIVATE KEY BLOCK-----"
	runValidatorCases(t, "pem-body", []validatorCase{
		{"pem", begin + body + end, true},
		{"crlf", "-----BEGIN RSA PRIVATE KEY-----\r\nMIIAPG9pgVZddyQc9IHhdv+XdEq7XS9lf0Rp03xL5q" +
			"/rJadXG7+5Ytue+3KnxoFT\r\nGL9zZN1yRlkDf0kfA0o3EQ==\r\n" + end, true},
		{"json escaped", `-----BEGIN RSA PRIVATE KEY-----\nMIIAPG9pgVZddyQc9IHhdv+XdEq7XS9lf0Rp0` +
			`3xL5q/rJadXG7+5Ytue+3KnxoFT\nGL9zZN1yRlkDf0kfA0o3EQ==\n` + end, true},
		{"one line", "-----BEGIN RSA PRIVATE KEY----- MIIAPG9pgVZddyQc9IHhdv+XdEq7XS9lf0Rp03xL5q" +
			"/rJadXG7+5Ytue+3KnxoFT GL9zZN1yRlkDf0kfA0o3EQ== " + end, true},
		{"encrypted headers", begin + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00FF\n\n" +
			body + end, true},
		{"pgp with checksum", pgpBegin + pgpBody + "=vHXt\n" + pgpEnd, true},
		{"pgp without checksum", pgpBegin + pgpBody + pgpEnd, true},
		{"pgp wrong checksum", pgpBegin + pgpBody + "=AAAA\n" + pgpEnd, false},
		{"bad base64", begin + body[1:] + end, false},
		{"too short", begin + "MIIBOgIBAAJBAK==\n" + end, false},
		{"placeholder", begin + "...\n" + end, false},
		{"no end", begin + body, false},
	})
}
