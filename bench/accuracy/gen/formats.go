package main

import (
	"strings"
)

// formats are the file kinds assignments are rendered in, by extension.
var formats = []string{".py", ".js", ".go", ".java", ".rb", ".php", ".yaml", ".json", ".env",
	".properties", ".xml", ".tf", ".sh", ".toml", ".ts", ".cs"}

// assign renders name = value in the language of ext.
func assign(ext, name, value string) string {
	switch ext {
	case ".py":
		return strings.ToUpper(name) + ` = "` + value + `"`
	case ".js", ".ts":
		return "const " + camel(name) + ` = "` + value + `";`
	case ".go":
		return "\t" + camel(name) + ` := "` + value + `"`
	case ".java", ".cs":
		return `    private static final String ` + strings.ToUpper(name) + ` = "` + value + `";`
	case ".rb":
		return name + " = '" + value + "'"
	case ".php":
		return "$" + name + " = '" + value + "';"
	case ".yaml":
		return "  " + name + ": " + value
	case ".json":
		return `  "` + camel(name) + `": "` + value + `",`
	case ".env":
		return strings.ToUpper(name) + "=" + value
	case ".properties":
		return "app." + name + "=" + value
	case ".xml":
		return "  <" + camel(name) + ">" + value + "</" + camel(name) + ">"
	case ".tf":
		return "  " + name + ` = "` + value + `"`
	case ".sh":
		return "export " + strings.ToUpper(name) + `="` + value + `"`
	}
	return name + ` = "` + value + `"`
}

func camel(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// fillerLines are ordinary lines of each kind of file, holding nothing secret.
var fillerLines = map[string][]string{
	"code": {
		"// Retry the request with exponential backoff.", "if err != nil {", "}",
		"for i := 0; i < len(items); i++ {", "return result, nil", "log.Info(\"started\")",
		"def handle(request):", "    return render(request, \"index.html\")", "import os",
		"const router = express.Router();", "let count = 0;", "public void run() {",
		"    timeout = 30", "# TODO(#12): move to config", "user = lookup_user(user_id)",
		"self.cache = {}", "items.sort(key=lambda x: x.name)", "    max_retries = 5",
	},
	"config": {
		"# Application settings", "debug: false", "port: 8080", "host: 0.0.0.0",
		"log_level: info", "replicas: 3", "region: eu-west-1", "timeout: 30s",
		"image: registry.internal/app:1.4.2", "name: web", "enabled: true",
	},
}

func filler(ext string, g *gen, n int) []string {
	pool := fillerLines["code"]
	switch ext {
	case ".yaml", ".env", ".properties", ".toml", ".tf", "", ".txt", ".config":
		pool = fillerLines["config"]
	case ".pem", ".key", ".asc", ".ppk", ".pub", ".sum", ".json", ".ipynb", ".xml", ".html",
		".css", ".log", ".md":
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = pool[g.r.IntN(len(pool))]
	}
	return out
}
