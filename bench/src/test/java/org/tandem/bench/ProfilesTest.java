package org.tandem.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile summary reads async-profiler's collapsed stacks into shares per part and the hottest leaves. */
class ProfilesTest {

    static final List<String> COLLAPSED = List.of(
            "java.lang.Thread.run;org.jboss.resteasy.reactive.server.Handler.handle;io.smallrye.jwt.auth.Verifier.verify;"
                    + "sun.security.ec.ECOperations.multiply 60",
            "java.lang.Thread.run;org.hibernate.engine.Flush.flush;org.postgresql.core.v3.QueryExecutorImpl.execute 30",
            "java.lang.Thread.run;org.tandem.platform.outbox.OutboxRelay.publish;org.apache.kafka.clients.producer.KafkaProducer.send 10",
            "java.lang.Thread.run;java.util.HashMap.get 0", // a stack without samples adds nothing
            "a line that is not a stack",
            "");

    @Test
    void a_sample_belongs_to_its_innermost_part_and_the_column_adds_up_to_100() {
        var p = Profiles.summarise("referral-service", COLLAPSED, Path.of("cpu.html"), Path.of("alloc.html"));
        assertThat(p.cpuSamples()).isEqualTo(100);
        assertThat(p.shareByPart())
                .containsEntry("token verification (JWT, JOSE)", 60.0)
                .containsEntry("REST layer (RESTEasy Reactive, Vert.x)", 0.0) // around the token check
                .containsEntry("Hibernate ORM", 0.0) // around the driver
                .containsEntry("PostgreSQL JDBC driver", 30.0)
                .containsEntry("outbox relay", 0.0)
                .containsEntry("Kafka clients", 10.0)
                .containsEntry("JSON (Jackson)", 0.0);
        assertThat(p.shareByPart().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum())
                .isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.topSelf().get(0)).isEqualTo(Map.entry("sun.security.ec.ECOperations.multiply", 60.0));
        assertThat(p.topSelf()).hasSize(4);
    }

    @Test
    void the_markdown_has_a_column_per_service_and_links_its_flame_graphs() {
        var a = Profiles.summarise(
                "referral-service",
                COLLAPSED,
                Path.of("referral-service-cpu.html"),
                Path.of("referral-service-alloc.html"));
        var b = Profiles.summarise(
                "registry-service",
                List.of(),
                Path.of("registry-service-cpu.html"),
                Path.of("registry-service-alloc.html"));
        String md = Profiles.markdown(100, 20, List.of(a, b));
        assertThat(md)
                .contains("| part | referral-service | registry-service |")
                .contains("| token verification (JWT, JOSE) | 60.0% | 0.0% |")
                .contains("| CPU samples | 100 | 0 |")
                .contains("[CPU](referral-service-cpu.html)");
    }
}
