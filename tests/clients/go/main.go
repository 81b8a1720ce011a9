// A ClickHouse client nobody here wrote, driving `haidang store` the way Grafana's ClickHouse
// data source does: clickhouse-go/v2 over HTTP through database/sql (clickhouse.OpenDB).
// Used by tests/store-clients.test.ts. Prints one line per check, "ok <name> <detail>" or
// "fail <name> <detail>", and exits 1 when any check failed.
//
//	client -addr 127.0.0.1:8123 -user u -password p -compression none|lz4|zstd|gzip
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

var failed bool

func check(name string, err error, detail string) {
	if err != nil {
		failed = true
		fmt.Printf("fail %s %v\n", name, err)
		return
	}
	fmt.Printf("ok %s %s\n", name, detail)
}

func open(addr, user, password, compression string) *sql.DB {
	opts := &clickhouse.Options{
		Addr:        []string{addr},
		Protocol:    clickhouse.HTTP,
		Auth:        clickhouse.Auth{Username: user, Password: password, Database: "default"},
		DialTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second,
		// what the Grafana data source sends with every query
		Settings:   clickhouse.Settings{"max_execution_time": 60},
		ClientInfo: clickhouse.ClientInfo{Products: []struct{ Name, Version string }{{Name: "grafana-datasource", Version: "4.0.0"}}},
	}
	switch compression {
	case "lz4":
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionLZ4}
	case "zstd":
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionZSTD}
	case "gzip":
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionGZIP}
	}
	return clickhouse.OpenDB(opts)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8123", "host:port")
	user := flag.String("user", "default", "")
	password := flag.String("password", "", "")
	compression := flag.String("compression", "none", "none, lz4, zstd or gzip")
	rows := flag.Int("rows", 100000, "rows to insert")
	queries := flag.String("queries", "", "a JSON file of [{\"title\", \"sql\"}]: run each (a dashboard's panels) and check it returns rows, nothing else")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if *queries != "" {
		runQueries(ctx, open(*addr, *user, *password, *compression), *queries)
		return
	}

	db := open(*addr, *user, *password, *compression)
	defer db.Close()
	check("ping", db.PingContext(ctx), "")

	var s string
	var n uint64
	pctx := clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"s": "it's", "n": "41"}))
	err := db.QueryRowContext(pctx, "SELECT {s:String} AS s, {n:UInt64} + 1 AS n").Scan(&s, &n)
	if err == nil && (s != "it's" || n != 42) {
		err = fmt.Errorf("got %q %d", s, n)
	}
	check("parameters", err, fmt.Sprintf("%s %d", s, n))

	table := fmt.Sprintf("go_client_%s", *compression)
	_, err = db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table)
	if err == nil {
		_, err = db.ExecContext(ctx, "CREATE TABLE "+table+" (id UInt64, name String, at DateTime64(3, 'UTC'), v Float64) ENGINE = MergeTree ORDER BY id")
	}
	check("create", err, table)

	start := time.Now()
	err = func() error {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		stmt, err := tx.Prepare("INSERT INTO " + table)
		if err != nil {
			return err
		}
		base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for i := 0; i < *rows; i++ {
			if _, err := stmt.Exec(uint64(i), fmt.Sprintf("name-%d\t'x'", i), base.Add(time.Duration(i)*time.Millisecond), float64(i)/4); err != nil {
				return err
			}
		}
		return tx.Commit()
	}()
	check("insert", err, fmt.Sprintf("%d rows in %s", *rows, time.Since(start).Round(time.Millisecond)))

	var count, sum uint64
	var last string
	err = db.QueryRowContext(ctx, "SELECT count(), sum(id), max(name) FROM "+table).Scan(&count, &sum, &last)
	want := uint64(*rows) * uint64(*rows-1) / 2
	if err == nil && (count != uint64(*rows) || sum != want) {
		err = fmt.Errorf("read back %d rows, sum %d (want %d, %d)", count, sum, *rows, want)
	}
	check("read-back", err, fmt.Sprintf("%d rows, sum %d, max %q", count, sum, last))

	var got []uint64
	r, err := db.QueryContext(ctx, "SELECT id FROM "+table+" ORDER BY id LIMIT 3")
	if err == nil {
		for r.Next() {
			var id uint64
			_ = r.Scan(&id)
			got = append(got, id)
		}
		err = r.Err()
		r.Close()
	}
	check("rows", err, fmt.Sprint(got))

	_, err = db.QueryContext(ctx, "SELECT * FROM no_such_table")
	var ex *clickhouse.Exception
	if errors.As(err, &ex) && ex.Code == 60 {
		check("error-code", nil, fmt.Sprintf("%d", ex.Code))
	} else {
		check("error-code", fmt.Errorf("want an exception with code 60, got %v", err), "")
	}

	bad := open(*addr, *user, "wrong-password", *compression)
	err = bad.PingContext(ctx)
	bad.Close()
	if errors.As(err, &ex) && ex.Code == 516 {
		check("wrong-password", nil, fmt.Sprintf("%d", ex.Code))
	} else {
		check("wrong-password", fmt.Errorf("want code 516, got %v", err), "")
	}
	if failed {
		os.Exit(1)
	}
}

// runQueries runs each panel query as Grafana's data source would and checks it returns rows.
func runQueries(ctx context.Context, db *sql.DB, file string) {
	defer db.Close()
	var panels []struct{ Title, SQL string }
	data, err := os.ReadFile(file)
	if err == nil {
		err = json.Unmarshal(data, &panels)
	}
	if err != nil {
		check("queries", err, "")
		os.Exit(1)
	}
	for _, p := range panels {
		r, err := db.QueryContext(ctx, p.SQL)
		n := 0
		if err == nil {
			cols, _ := r.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for r.Next() {
				if err = r.Scan(ptrs...); err != nil {
					break
				}
				n++
			}
			if err == nil {
				err = r.Err()
			}
			r.Close()
		}
		if err == nil && n == 0 {
			err = fmt.Errorf("no rows")
		}
		check("panel:"+p.Title, err, fmt.Sprintf("%d rows", n))
	}
	if failed {
		os.Exit(1)
	}
}
