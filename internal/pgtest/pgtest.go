// Package pgtest gives tests a fresh PostgreSQL database on the server named by
// LEAKHOUND_TEST_POSTGRES, which scripts/test.sh starts on loopback. Without it, tests that
// need PostgreSQL skip, unless LEAKHOUND_REQUIRE_POSTGRES is set: then they fail, so that
// CI cannot pass by skipping them.
//
// It is for tests only.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env names the variable holding the URL of a database on the test server; the test user
// must be allowed to create databases.
const Env = "LEAKHOUND_TEST_POSTGRES"

// RequireEnv names the variable that makes a missing server fail the tests.
const RequireEnv = "LEAKHOUND_REQUIRE_POSTGRES"

// URL creates an empty database for the test, dropped when the test ends, and returns its
// postgres:// URL. It skips the test, or fails it if RequireEnv is set, when Env is unset.
func URL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv(RequireEnv) != "" {
			tb.Fatalf("%s is unset and %s is set", Env, RequireEnv)
		}
		tb.Skipf("%s is unset: no PostgreSQL to test against", Env)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	name := "leakhound_t_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() { drop(tb, base, name) })
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}

// drop removes a test database, closing any connection a killed process left open.
func drop(tb testing.TB, base, name string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Errorf("connect to the test server: %v", err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
		tb.Errorf("drop database %s: %v", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
