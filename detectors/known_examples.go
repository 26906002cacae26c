package detectors

// knownExamples are credentials that vendors publish in their documentation as examples.
// They are not secret, appear in countless tutorials and tests, and are never reported,
// whichever rule matches them.
var knownExamples = map[string]bool{
	// AWS IAM documentation.
	"AKIAIOSFODNN7EXAMPLE":                     true,
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY": true,
	"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY": true,
	"AKIAI44QH8DHBEXAMPLE":                     true,
	// Stripe API reference test keys.
	"sk_test_4eC39HqLyjWDarjtT1zdp7dc": true,
	"pk_test_TYooMQauvdEDq54NiTphI7jx": true,
	"sk_test_BQokikJOvBiI2HlWgH4olfQ2": true,
	// The token on jwt.io's front page.
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiw" +
		"iaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c": true,
	// Twilio's documented test account SID and auth token placeholders.
	"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX": true,
	// HTTP Basic credentials from RFC 7617 and common tutorials (Aladdin, open sesame).
	"QWxhZGRpbjpvcGVuIHNlc2FtZQ==": true,
	"YWxhZGRpbjpvcGVuc2VzYW1l":     true,
	// Mailgun documentation placeholder.
	"key-3ax6xnjp29jd6fds4gc373sgvjxteol0": true,
}

// knownExample reports whether secret is a published documentation example.
func knownExample(secret []byte) bool {
	return len(secret) >= 16 && knownExamples[string(secret)]
}
