package dev.eimf.spark;

import org.apache.spark.sql.SparkSession;

/** The one SparkSession of the test JVM: starting Spark costs seconds, so every test class shares it. */
final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {}

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("eimf-spark-tests")
                    // Loopback only: the tests must not depend on the machine's network or host name.
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
