package org.tandem.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A registry that accepts the connection and then never answers (what a stalled lookup looks like from the
 * client) fails the lookup after the read timeout, as a transient failure, instead of holding the caller forever.
 */
class SchemaRegistryClientsTest {

    @Test
    void a_lookup_that_gets_no_answer_fails_after_the_read_timeout_and_counts_as_transient() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // read nothing, write nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            var facade = SchemaRegistryClients.facade(Map.of(
                    "apicurio.registry.url", "http://localhost:" + silent.getLocalPort() + "/apis/registry/v3",
                    SchemaRegistryClients.READ_TIMEOUT_MS, "300"));

            Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> catchThrowable(() -> facade.getSchemaByContentId(1L)));

            assertThat(failure).isNotNull();
            assertThat(SchemaRegistryClients.isTransient(failure)).as("a timeout is worth a retry").isTrue();
            assertThat(accepted).as("the lookup reached the silent registry").isNotEmpty();
            silent.close();
            acceptor.join(5_000);
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void an_unknown_schema_or_unreadable_content_is_not_transient() {
        assertThat(SchemaRegistryClients.isTransient(new IllegalArgumentException("not Avro"))).isFalse();
        assertThat(SchemaRegistryClients.isTransient(new RuntimeException(new IOException("reset")))).isTrue();
    }
}
