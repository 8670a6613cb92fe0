package io.github.cassandrasnapshotter.testsupport;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;

import java.net.InetSocketAddress;

/**
 * The {@code bin/cqlsh} of a {@link CassandraNode}: {@code cqlsh HOST -e "DESCRIBE ..."} as the tool
 * runs it for {@code --backup-schema}. The real cqlsh (Python) is not in Maven Central, so this one sends
 * the statement to the node with the Java driver; since Cassandra 4.0 cqlsh does the same, DESCRIBE is
 * answered by the server, and prints each row's {@code create_statement} between empty lines. Anything
 * else it is given (another option, a second host, a statement that is not a DESCRIBE) fails, exit 2.
 *
 * <p>Arguments: {@code --port PORT} (fixed by the script), then what the tool passes.
 */
public final class DriverCqlsh {
    private DriverCqlsh() {
    }

    public static void main(String[] args) {
        Integer port = null;
        String host = null;
        String statement = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--port") && i + 1 < args.length) {
                port = Integer.valueOf(args[++i]);
            } else if (arg.equals("-e") && i + 1 < args.length) {
                statement = args[++i];
            } else if (!arg.startsWith("-") && host == null) {
                host = arg;
            } else {
                fail("unsupported argument: " + arg);
            }
        }
        if (port == null || host == null || statement == null || !statement.startsWith("DESCRIBE ")) {
            fail("needs --port PORT HOST -e \"DESCRIBE ...\"");
        }
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(host, port))
                .withLocalDatacenter("datacenter1").build()) {
            StringBuilder out = new StringBuilder();
            for (Row row : session.execute(statement)) {
                out.append('\n').append(row.getString("create_statement")).append('\n');
            }
            System.out.print(out);
            System.out.flush();
        }
    }

    private static void fail(String message) {
        System.err.println("cqlsh of the test node: " + message);
        System.exit(2);
    }
}
