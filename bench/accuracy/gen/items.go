package main

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// item is one labelled thing planted in the corpus: a secret to find (positive) or a decoy
// that must not be reported. An item with a name is rendered as an assignment in the file's
// language; one without is written as raw lines.
type item struct {
	category string
	positive bool
	name     string
	value    string
	raw      string
	ext      string // for raw items, the kind of file they belong in
}

// Categories of items, as the score table groups them.
const (
	catCloud    = "cloud"
	catVCS      = "vcs-ci"
	catRegistry = "registry"
	catPayments = "payments"
	catMessage  = "messaging"
	catAI       = "ai"
	catSaaS     = "saas"
	catKeys     = "private-key"
	catJWT      = "jwt"
	catURL      = "url-credentials"
	catGeneric  = "generic"
	catEncoded  = "encoded"
)

type maker func(g *gen) item

func secret(cat, name string, f func(g *gen) string) maker {
	return func(g *gen) item { return item{category: cat, positive: true, name: name, value: f(g)} }
}

func rawSecret(cat, ext string, f func(g *gen) string) maker {
	return func(g *gen) item { return item{category: cat, positive: true, raw: f(g), ext: ext} }
}

func decoy(cat, name string, f func(g *gen) string) maker {
	return func(g *gen) item { return item{category: cat, name: name, value: f(g)} }
}

func rawDecoy(cat, ext string, f func(g *gen) string) maker {
	return func(g *gen) item { return item{category: cat, raw: f(g), ext: ext} }
}

func lit(s string) func(*gen) string { return func(*gen) string { return s } }

// positives lists the secrets planted, by provider format.
var positives = []maker{
	secret(catCloud, "aws_access_key_id", func(g *gen) string { return "AKIA" + g.pick(base32, 16) }),
	secret(catCloud, "aws_secret_access_key", func(g *gen) string { return g.mixed(b64, 40) }),
	secret(catCloud, "google_maps_key", func(g *gen) string { return "AIza" + g.mixed(b64url, 35) }),
	secret(catCloud, "do_token", func(g *gen) string { return "dop_v1_" + g.pick(hexLow, 64) }),
	secret(catCloud, "alibaba_key", func(g *gen) string { return "LTAI" + g.mixed(alnum, 20) }),
	secret(catCloud, "heroku_api_key", func(g *gen) string { return "HRKU-AA" + g.mixed(b64url, 58) }),
	secret(catCloud, "vercel_token", func(g *gen) string { return "vcp_" + g.mixed(alnum, 56) }),
	secret(catCloud, "fly_token", func(g *gen) string { return "fo1_" + g.mixed(b64url, 43) }),
	secret(catCloud, "databricks_token", func(g *gen) string { return "dapi" + g.pick(hexLow, 32) }),
	secret(catCloud, "cloudflare_api_token", func(g *gen) string { return g.mixed(b64url, 40) }),
	secret(catCloud, "azure_client_secret", func(g *gen) string {
		return g.mixed(alnum, 3) + "8Q~" + g.mixed(alnum, 34)
	}),
	rawSecret(catCloud, ".env", func(g *gen) string {
		return "AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" +
			g.mixed(b64, 86) + "==;EndpointSuffix=core.windows.net"
	}),
	secret(catVCS, "github_token", func(g *gen) string { return g.github("ghp_") }),
	secret(catVCS, "gh_oauth", func(g *gen) string { return g.github("gho_") }),
	secret(catVCS, "installation_token", func(g *gen) string { return g.github("ghs_") }),
	secret(catVCS, "github_pat", func(g *gen) string {
		return "github_pat_" + g.mixed(alnum, 22) + "_" + g.mixed(alnum, 59)
	}),
	secret(catVCS, "gitlab_token", func(g *gen) string { return "glpat-" + g.mixed(b64url, 20) }),
	secret(catVCS, "deploy_token", func(g *gen) string { return "gldt-" + g.mixed(b64url, 20) }),
	secret(catVCS, "circle_token", func(g *gen) string {
		return "CCIPAT_" + g.mixed(alnum, 22) + "_" + g.pick(hexLow, 40)
	}),
	secret(catVCS, "buildkite", func(g *gen) string { return "bkua_" + g.pick(hexLow, 40) }),
	secret(catVCS, "docker_pat", func(g *gen) string { return "dckr_pat_" + g.mixed(b64url, 27) }),
	secret(catVCS, "atlassian_token", func(g *gen) string {
		return crcHexSuffix("ATATT3xFfGF0" + g.mixed(b64url, 180) + "=")
	}),
	secret(catVCS, "bitbucket_app_password", func(g *gen) string {
		return crcHexSuffix("ATBB" + g.mixed(alnum, 24))
	}),
	secret(catRegistry, "npm_token", func(g *gen) string { return g.github("npm_") }),
	secret(catRegistry, "pypi_token", func(g *gen) string { return g.pypi() }),
	secret(catRegistry, "rubygems_key", func(g *gen) string { return "rubygems_" + g.pick(hexLow, 48) }),
	secret(catRegistry, "nuget_key", func(g *gen) string { return "oy2" + g.pick(strings.ToLower(base32), 43) }),
	secret(catRegistry, "cargo_token", func(g *gen) string { return "cio" + g.mixed(alnum, 32) }),
	secret(catPayments, "stripe_key", func(g *gen) string { return "sk_live_" + g.mixed(alnum, 99) }),
	secret(catPayments, "stripe_restricted", func(g *gen) string { return "rk_live_" + g.mixed(alnum, 24) }),
	secret(catPayments, "square_token", func(g *gen) string { return "sq0atp-" + g.mixed(b64url, 22) }),
	secret(catPayments, "shopify_token", func(g *gen) string { return "shpat_" + g.pick(hexLow, 32) }),
	secret(catPayments, "braintree", func(g *gen) string {
		return "access_token$production$" + g.pick(lower+digits, 16) + "$" + g.pick(hexLow, 32)
	}),
	secret(catMessage, "slack_bot_token", func(g *gen) string {
		return "xoxb-" + g.pick(digits, 12) + "-" + g.pick(digits, 13) + "-" + g.mixed(alnum, 24)
	}),
	rawSecret(catMessage, ".yaml", func(g *gen) string {
		return "webhook_url: https://hooks.slack.com/services/T" + g.pick(upper+digits, 10) + "/B" +
			g.pick(upper+digits, 10) + "/" + g.mixed(alnum, 24)
	}),
	rawSecret(catMessage, ".json", func(g *gen) string {
		return `  "discord": "https://discord.com/api/webhooks/` + g.pick(digits, 18) + "/" +
			g.mixed(b64url, 68) + `",`
	}),
	secret(catMessage, "discord_bot_token", func(g *gen) string { return g.discordBot() }),
	secret(catMessage, "telegram_bot_token", func(g *gen) string { return g.telegram() }),
	secret(catMessage, "twilio_api_key", func(g *gen) string { return "SK" + g.pick(hexLow, 32) }),
	secret(catMessage, "sendgrid_key", func(g *gen) string {
		return "SG." + g.mixed(b64url, 22) + "." + g.mixed(b64url, 43)
	}),
	secret(catMessage, "mailgun_key", func(g *gen) string { return "key-" + g.pick(hexLow, 32) }),
	secret(catMessage, "mailchimp_key", func(g *gen) string { return g.pick(hexLow, 32) + "-us14" }),
	secret(catAI, "openai_api_key", func(g *gen) string {
		return "sk-proj-" + g.mixed(b64url, 74) + "T3BlbkFJ" + g.mixed(b64url, 74)
	}),
	secret(catAI, "openai_key", func(g *gen) string {
		return "sk-" + g.mixed(alnum, 20) + "T3BlbkFJ" + g.mixed(alnum, 20)
	}),
	secret(catAI, "anthropic_key", func(g *gen) string {
		return "sk-ant-api03-" + g.mixed(b64url, 93) + "AA"
	}),
	secret(catAI, "hf_token", func(g *gen) string { return "hf_" + g.pick(upper+lower, 34) }),
	secret(catAI, "groq_key", func(g *gen) string {
		return "gsk_" + g.mixed(alnum, 20) + "WGdyb3FY" + g.mixed(alnum, 24)
	}),
	secret(catAI, "replicate_token", func(g *gen) string { return "r8_" + g.mixed(alnum, 37) }),
	secret(catAI, "pplx_key", func(g *gen) string { return "pplx-" + g.mixed(alnum, 48) }),
	secret(catAI, "xai_key", func(g *gen) string { return "xai-" + g.mixed(alnum, 80) }),
	secret(catSaaS, "dd_api_key", func(g *gen) string { return g.pick(hexLow, 32) }),
	secret(catSaaS, "newrelic_key", func(g *gen) string { return "NRAK-" + g.pick(upper+digits, 27) }),
	secret(catSaaS, "sentry_token", func(g *gen) string { return "sntryu_" + g.pick(hexLow, 64) }),
	secret(catSaaS, "grafana_token", func(g *gen) string { return g.grafana() }),
	secret(catSaaS, "linear_key", func(g *gen) string { return "lin_api_" + g.mixed(alnum, 40) }),
	secret(catSaaS, "postman_key", func(g *gen) string {
		return "PMAK-" + g.pick(hexLow, 24) + "-" + g.pick(hexLow, 34)
	}),
	secret(catSaaS, "doppler_token", func(g *gen) string { return "dp.st." + g.mixed(alnum, 43) }),
	secret(catSaaS, "vault_token", func(g *gen) string { return "hvs." + g.mixed(b64url, 90) }),
	secret(catSaaS, "tfc_token", func(g *gen) string {
		return g.mixed(alnum, 14) + ".atlasv1." + g.mixed(b64url, 67)
	}),
	secret(catSaaS, "okta_api_token", func(g *gen) string { return "00" + g.mixed(b64url, 40) }),
	secret(catSaaS, "contentful_token", func(g *gen) string { return "CFPAT-" + g.mixed(b64url, 43) }),
	rawSecret(catKeys, ".pem", func(g *gen) string { return g.pem("RSA PRIVATE KEY", 600) }),
	rawSecret(catKeys, ".pem", func(g *gen) string { return g.pem("EC PRIVATE KEY", 118) }),
	rawSecret(catKeys, ".key", func(g *gen) string { return g.pem("PRIVATE KEY", 300) }),
	rawSecret(catKeys, ".key", func(g *gen) string { return g.pem("ENCRYPTED PRIVATE KEY", 300) }),
	rawSecret(catKeys, "", func(g *gen) string { return g.pem("OPENSSH PRIVATE KEY", 380) }),
	rawSecret(catKeys, ".pem", func(g *gen) string { return g.pem("DSA PRIVATE KEY", 440) }),
	rawSecret(catKeys, ".asc", func(g *gen) string { return g.pem("PGP PRIVATE KEY BLOCK", 500) }),
	rawSecret(catKeys, ".ppk", func(g *gen) string { return g.putty() }),
	rawSecret(catKeys, ".txt", func(g *gen) string { return "# created: 2024-05-01\n" + g.age() }),
	rawSecret(catKeys, ".yaml", func(g *gen) string {
		return "tls:\n  key: |\n    " + strings.ReplaceAll(g.pem("PRIVATE KEY", 300), "\n", "\n    ")
	}),
	secret(catJWT, "id_token", func(g *gen) string { return g.jwt() }),
	rawSecret(catJWT, ".sh", func(g *gen) string {
		return `curl -H "Authorization: Bearer ` + g.jwt() + `" https://api.internal/v1/me`
	}),
	secret(catURL, "database_url", func(g *gen) string {
		return "postgres://app:" + g.mixed(alnum, 20) + "@db.internal:5432/app"
	}),
	secret(catURL, "mongo_uri", func(g *gen) string {
		return "mongodb+srv://svc:" + g.mixed(alnum, 16) + "@cluster0.ab1cd.mongodb.net/prod"
	}),
	secret(catURL, "redis_url", func(g *gen) string {
		return "rediss://default:" + g.mixed(alnum, 24) + "@cache.internal:6380/0"
	}),
	secret(catURL, "proxy", func(g *gen) string {
		return "http://svc-proxy:" + g.mixed(alnum, 18) + "@proxy.corp:3128"
	}),
	rawSecret(catURL, ".config", func(g *gen) string {
		return `<add name="Default" connectionString="Server=sql.internal;Database=app;User Id=svc;` +
			"Password=" + g.mixed(alnum, 20) + `;" />`
	}),
	rawSecret(catURL, ".properties", func(g *gen) string {
		return "spring.datasource.url=jdbc:mysql://db.internal:3306/app?user=app&password=" +
			g.mixed(alnum, 18)
	}),
	secret(catGeneric, "db_password", func(g *gen) string { return g.mixed(alnum+"!#%", 16) }),
	secret(catGeneric, "client_secret", func(g *gen) string { return g.mixed(b64url, 32) }),
	secret(catGeneric, "api_key", func(g *gen) string { return g.mixed(alnum, 32) }),
	secret(catGeneric, "auth_token", func(g *gen) string { return g.pick(hexLow, 40) }),
	secret(catGeneric, "secret_key", func(g *gen) string { return g.mixed(b64, 44) }),
	rawSecret(catGeneric, ".sh", func(g *gen) string {
		return "mysql --host=db.internal --user=app --password=" + g.mixed(alnum, 18) + " shop"
	}),
	rawSecret(catGeneric, ".xml", func(g *gen) string {
		return "  <password>" + g.mixed(alnum, 20) + "</password>"
	}),
	rawSecret(catEncoded, ".yaml", func(g *gen) string {
		return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ntype: Opaque\ndata:\n  token: " +
			base64.StdEncoding.EncodeToString([]byte(g.github("ghp_")))
	}),
	rawSecret(catEncoded, ".yaml", func(g *gen) string {
		return "data:\n  tls.key: " + base64.StdEncoding.EncodeToString([]byte(g.pem("PRIVATE KEY", 300)))
	}),
	rawSecret(catEncoded, ".ipynb", func(g *gen) string {
		return `   "source": ["import boto3\n", "client = boto3.client(\"s3\", ` +
			`aws_secret_access_key=\"` + g.mixed(b64, 40) + `\")\n"]`
	}),
	rawSecret(catEncoded, ".json", func(g *gen) string {
		return `{"type": "service_account", "project_id": "acme", "private_key": "` +
			strings.ReplaceAll(g.pem("PRIVATE KEY", 300), "\n", `\n`) + `\n"}`
	}),
	rawSecret(catEncoded, ".log", func(g *gen) string {
		return "GET /callback?next=" + url.QueryEscape("postgres://app:"+g.mixed(alnum, 18)+
			"@db.internal/app") + " HTTP/1.1"
	}),
	rawSecret(catEncoded, ".txt", func(g *gen) string {
		return "blob: " + base64.StdEncoding.EncodeToString([]byte("token="+g.github("ghp_")))
	}),
}
