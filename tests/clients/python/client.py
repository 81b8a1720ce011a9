"""A ClickHouse client nobody here wrote — clickhouse-connect (PyPI) — doing real work against
`haidang store`: connect, a parameterised query, a 100,000-row insert with the client's default
compression read back exactly, an error with its code, a wrong password refused.
Used by tests/store-clients.test.ts. Prints one line per check ("ok NAME detail" or
"fail NAME detail") and exits 1 when any failed.

    python3 client.py HOST PORT USER PASSWORD [ROWS]
"""
import datetime
import sys
import time

import clickhouse_connect
from clickhouse_connect.driver.exceptions import DatabaseError, OperationalError

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = int(sys.argv[5]) if len(sys.argv) > 5 else 100_000
failed = False


def check(name, fn):
    global failed
    try:
        print(f"ok {name} {fn()}", flush=True)
    except Exception as e:  # noqa: BLE001 - every failure is reported, then the next check runs
        failed = True
        print(f"fail {name} {type(e).__name__}: {str(e)[:400]!r}", flush=True)


client = None


def connect():
    global client
    client = clickhouse_connect.get_client(host=host, port=port, username=user, password=password)
    return client.server_version


check("connect", connect)


def parameters():
    r = client.query("SELECT {s:String} AS s, {n:UInt64} + 1 AS n, {d:DateTime} AS d", parameters={"s": "it's\ta \\ test", "n": 41, "d": datetime.datetime(2026, 1, 2, 3, 4, 5)})
    got = r.result_rows[0]
    assert got[0] == "it's\ta \\ test" and got[1] == 42 and got[2] == datetime.datetime(2026, 1, 2, 3, 4, 5), got
    return repr(got[:2])


check("parameters", parameters)


def insert():
    client.command("DROP TABLE IF EXISTS py_client")
    client.command("CREATE TABLE py_client (id UInt64, name String, at DateTime64(3, 'UTC'), v Float64, tags Array(String)) ENGINE = MergeTree ORDER BY id")
    base = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    data = [[i, f"name-{i}\t'x'\n", base + datetime.timedelta(milliseconds=i), i / 4, ["a", str(i)]] for i in range(rows)]
    t = time.perf_counter()
    summary = client.insert("py_client", data, column_names=["id", "name", "at", "v", "tags"])
    took = time.perf_counter() - t
    assert summary.written_rows == rows, f"summary says {summary.written_rows} rows written"
    back = client.query("SELECT id, name, at, v, tags FROM py_client ORDER BY id").result_rows
    assert len(back) == rows, f"read back {len(back)} rows"
    for want, got in zip(data, back):
        assert (got[0], got[1], got[3], list(got[4])) == (want[0], want[1], want[3], want[4]) and got[2].replace(tzinfo=datetime.timezone.utc) == want[2], (want, got)
    return f"{rows} rows ({getattr(client, 'write_compression', None) or 'no'} compression) in {took:.2f}s, read back exactly"


check("insert", insert)


def error_code():
    try:
        client.query("SELECT * FROM no_such_table")
    except DatabaseError as e:
        assert "Code: 60" in str(e), str(e)
        return "60"
    raise AssertionError("no error")


check("error-code", error_code)


def external_data():
    # ClickHouse's "external data": a table sent with the query as a multipart part
    from clickhouse_connect.driver.external import ExternalData

    ed = ExternalData(file_name="lookup.csv", data=b"1,a\n2,b\n7,c\n", fmt="CSV", structure=["n UInt64", "s String"])
    r = client.query("SELECT s FROM lookup WHERE n IN (SELECT number FROM numbers(5)) ORDER BY s", external_data=ed)
    got = [x[0] for x in r.result_rows]
    assert got == ["a", "b"], got
    return repr(got)


check("external-data", external_data)


def wrong_password():
    try:
        clickhouse_connect.get_client(host=host, port=port, username=user, password="wrong-password")
    except (DatabaseError, OperationalError) as e:
        assert "516" in str(e), str(e)
        return "516"
    raise AssertionError("connected with a wrong password")


check("wrong-password", wrong_password)
sys.exit(1 if failed else 0)
