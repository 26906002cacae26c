package store

import (
	"strconv"
	"strings"
)

// dialect is what differs between the SQL backends. Every statement is written once, with
// ? placeholders and the syntax SQLite and PostgreSQL share; a dialect fills in the rest.
type dialect struct {
	// name names the backend and its directory under migrations/.
	name string
	// dollar numbers placeholders $1, $2, ... instead of ?.
	dollar bool
	// serialise makes one process run one write transaction at a time, for a database that
	// takes one writer at a time anyway.
	serialise bool
	// skipLocked ends a SELECT that picks a row to update without waiting for rows other
	// transactions hold ("FOR UPDATE SKIP LOCKED"); "" where writers are serialised.
	skipLocked string
	// forUpdate ends a SELECT that locks the rows it reads; "" where writers are serialised.
	forUpdate string
	// nowMillis is an expression for the database clock in Unix milliseconds, so leases
	// compare times from one clock however far the workers' clocks drift.
	nowMillis string
	// migrationLock, run first in each migration's transaction, keeps two processes from
	// migrating at once; "" where the transaction itself takes the write lock.
	migrationLock string
	// retryable reports whether a transaction that failed with err may be run again: a
	// deadlock or serialisation failure another transaction caused.
	retryable func(err error) bool
}

// q returns query with its placeholders spelled for the dialect. Statements carry no ? in
// string literals, so every ? is a placeholder.
func (d *dialect) q(query string) string {
	if !d.dollar || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}
