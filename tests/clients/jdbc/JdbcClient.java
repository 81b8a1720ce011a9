// A ClickHouse client nobody here wrote — clickhouse-jdbc 0.10 (Metabase's and DBeaver's driver
// family), with its default settings (LZ4-compressed answers) — doing real work against
// `haidang store`. Used by tests/store-clients.test.ts, run as a single-file program on the
// classpath scripts/deps/store-clients.sh writes. Prints "ok NAME detail" / "fail NAME detail"
// per check; exits 1 when any failed.
//
//   java -cp "$(cat .classpath)" JdbcClient.java HOST PORT USER PASSWORD [ROWS]
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

public class JdbcClient {
  static boolean failed = false;

  interface Check { String run() throws Exception; }

  static void check(String name, Check c) {
    try {
      System.out.println("ok " + name + " " + c.run());
    } catch (Exception e) {
      failed = true;
      String m = String.valueOf(e.getMessage());
      System.out.println("fail " + name + " " + e.getClass().getSimpleName() + ": " + m.substring(0, Math.min(400, m.length())).replace('\n', ' '));
    }
    System.out.flush();
  }

  static Connection open(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection(url, p);
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:clickhouse://" + args[0] + ":" + args[1] + "/default";
    String user = args[2], password = args[3];
    int rows = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
    Connection[] conn = new Connection[1];
    check("connect", () -> {
      conn[0] = open(url, user, password);
      return conn[0].getMetaData().getDatabaseProductVersion();
    });
    Connection c = conn[0];
    check("parameters", () -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT ? AS s, ? + 1 AS n")) {
        ps.setString(1, "it's");
        ps.setLong(2, 41);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          String s = rs.getString(1);
          long n = rs.getLong(2);
          if (!"it's".equals(s) || n != 42) throw new AssertionError("got " + s + " " + n);
          return s + " " + n;
        }
      }
    });
    check("insert", () -> {
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS jdbc_client");
        st.execute("CREATE TABLE jdbc_client (id UInt64, name String, v Float64) ENGINE = MergeTree ORDER BY id");
      }
      long t = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_client (id, name, v) VALUES (?, ?, ?)")) {
        for (int i = 0; i < rows; i++) {
          ps.setLong(1, i);
          ps.setString(2, "name-" + i + "\t'x'");
          ps.setDouble(3, i / 4.0);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      double took = (System.nanoTime() - t) / 1e9;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(), sum(id), max(name) FROM jdbc_client")) {
        rs.next();
        long count = rs.getLong(1), sum = rs.getLong(2);
        long want = (long) rows * (rows - 1) / 2;
        if (count != rows || sum != want) throw new AssertionError("read back " + count + " rows, sum " + sum);
        return rows + " rows in " + String.format("%.2f", took) + "s, read back: " + count + " rows, sum " + sum + ", max " + rs.getString(3).replace('\t', ' ');
      }
    });
    check("error-code", () -> {
      try (Statement st = c.createStatement()) {
        st.executeQuery("SELECT * FROM no_such_table");
      } catch (SQLException e) {
        if (e.getErrorCode() != 60) throw new AssertionError("code " + e.getErrorCode() + ": " + e.getMessage());
        return "60";
      }
      throw new AssertionError("no error");
    });
    check("wrong-password", () -> {
      try (Connection bad = open(url, user, "wrong-password"); Statement st = bad.createStatement()) {
        st.executeQuery("SELECT 1");
      } catch (SQLException e) {
        if (e.getErrorCode() != 516 && !String.valueOf(e.getMessage()).contains("516")) throw new AssertionError("code " + e.getErrorCode() + ": " + e.getMessage());
        return "516";
      }
      throw new AssertionError("a wrong password was accepted");
    });
    if (c != null) c.close();
    System.exit(failed ? 1 : 0);
  }
}
