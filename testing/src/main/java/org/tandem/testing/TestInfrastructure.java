package org.tandem.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.tandem.devstack.Endpoints;
import org.tandem.devstack.Infrastructure;
import org.tandem.devstack.Port;
import org.tandem.devstack.StackConfig;

/**
 * The real infrastructure for integration tests: PostgreSQL, Kafka, Apicurio Registry and Keycloak,
 * running as native processes (no Docker, no in-memory stand-ins).
 *
 * <p>{@code ./tandem test} starts it once for the whole build and passes its endpoints file in
 * {@code TANDEM_TEST_INFRA}. A test run on its own (from an IDE, or {@code ./mvnw -pl x test}) starts a
 * private one under {@code target/test-infra} and stops it when the JVM exits.
 */
public final class TestInfrastructure {

    public static final String ENDPOINTS_VARIABLE = "TANDEM_TEST_INFRA";
    private static Endpoints endpoints;

    private TestInfrastructure() {}

    public static synchronized Endpoints endpoints() {
        if (endpoints == null) {
            endpoints = locate();
        }
        return endpoints;
    }

    private static Endpoints locate() {
        String shared = System.getProperty(ENDPOINTS_VARIABLE, System.getenv(ENDPOINTS_VARIABLE));
        if (shared != null && !shared.isBlank()) {
            Path file = Path.of(shared);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(
                        ENDPOINTS_VARIABLE + " names " + file + ", which does not exist. "
                                + "Run the tests with ./tandem test, or unset it to let the tests start their own infrastructure.");
            }
            return Endpoints.readFrom(file);
        }
        Path stateDir = Path.of("target", "test-infra").toAbsolutePath();
        int portBase = Integer.parseInt(System.getenv().getOrDefault("TANDEM_TEST_PORT_BASE", "29000"));
        StackConfig config = StackConfig.builder()
                .stateDir(stateDir)
                .portBase(portBase)
                .fresh(true)
                .build();
        Infrastructure infra = Infrastructure.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "stop-test-infrastructure"));
        return infra.endpoints();
    }

    /**
     * Stops one part of the running test infrastructure (for a test of an outage); {@link #startStopped()} brings
     * it back with its data.
     */
    public static void stop(Infrastructure.Part part) {
        Infrastructure.stopPart(stackConfig(), part);
    }

    /** Starts the parts that are down, keeping their data, and waits until they are healthy. */
    public static void startStopped() {
        Infrastructure.start(stackConfig());
    }

    /** The configuration the running infrastructure was started with: its state dir and the ports it recorded. */
    public static StackConfig stackConfig() {
        Path stateDir = endpoints().stateDir();
        Properties ports = new Properties();
        try (Reader r = Files.newBufferedReader(stateDir.resolve("ports.properties"))) {
            ports.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ports of the test infrastructure in " + stateDir, e);
        }
        StackConfig.Builder b = StackConfig.builder().stateDir(stateDir).fresh(false);
        ports.stringPropertyNames()
                .forEach(name -> b.port(Port.valueOf(name), Integer.parseInt(ports.getProperty(name))));
        return b.build();
    }
}
