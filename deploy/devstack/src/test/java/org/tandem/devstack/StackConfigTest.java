package org.tandem.devstack;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackConfigTest {

    private static StackConfig.Builder builder(Map<String, String> env) {
        return StackConfig.builder().environment(env).stateDir(Path.of("/tmp/x"));
    }

    @Test
    void portsFollowTheBase() {
        StackConfig c = builder(Map.of()).portBase(18000).build();
        assertThat(c.port(Port.POSTGRES)).isEqualTo(18432);
        assertThat(c.port(Port.KAFKA)).isEqualTo(18092);
        assertThat(c.port(Port.KAFKA_CONTROLLER)).isEqualTo(18093);
        assertThat(c.port(Port.APICURIO)).isEqualTo(18080);
        assertThat(c.port(Port.APICURIO_MANAGEMENT)).isEqualTo(18081);
        assertThat(c.port(Port.KEYCLOAK)).isEqualTo(18180);
        assertThat(c.port(Port.KEYCLOAK_MANAGEMENT)).isEqualTo(18190);
        assertThat(c.port(Port.REGISTRY)).isEqualTo(18101);
        assertThat(c.port(Port.REFERRAL)).isEqualTo(18102);
        assertThat(c.port(Port.NOTIFICATION)).isEqualTo(18103);
        assertThat(c.port(Port.SMTP)).isEqualTo(18025);
    }

    @Test
    void everyPortIsDistinct() {
        StackConfig c = builder(Map.of()).build();
        Set<Integer> seen = new HashSet<>(c.ports().values());
        assertThat(seen).hasSize(Port.values().length);
    }

    @Test
    void defaultBaseIsTheTestBaseAndTheEnvironmentCanMoveIt() {
        assertThat(builder(Map.of()).build().portBase()).isEqualTo(StackConfig.TEST_PORT_BASE);
        StackConfig c = builder(Map.of("TANDEM_PORT_BASE", "40000")).build();
        assertThat(c.portBase()).isEqualTo(40000);
        assertThat(c.port(Port.KEYCLOAK)).isEqualTo(40180);
    }

    @Test
    void precedenceIsExplicitThenEnvironmentThenBase() {
        Map<String, String> env = Map.of("TANDEM_PORT_BASE", "40000", "TANDEM_PORT_KEYCLOAK", "8080");
        StackConfig c = builder(env).portBase(18000).port(Port.KAFKA, 9092).build();
        assertThat(c.portBase()).isEqualTo(18000);
        assertThat(c.port(Port.KEYCLOAK)).isEqualTo(8080);
        assertThat(c.port(Port.KAFKA)).isEqualTo(9092);
        assertThat(c.port(Port.POSTGRES)).isEqualTo(18432);
    }

    @Test
    void badNumbersAreRefusedWithTheVariableName() {
        assertThatThrownBy(() -> builder(Map.of("TANDEM_PORT_KAFKA", "nine")).build())
                .hasMessageContaining("TANDEM_PORT_KAFKA");
        assertThatThrownBy(() -> builder(Map.of("TANDEM_PORT_KAFKA", "70000")).build())
                .hasMessageContaining("KAFKA");
        assertThatThrownBy(() -> StackConfig.builder().portBase(80)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cacheDirDefaultsUnderHomeAndCanBeOverridden() {
        assertThat(builder(Map.of()).build().cacheDir())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "tandem"));
        assertThat(builder(Map.of("TANDEM_CACHE_DIR", "/var/cache/t")).build().cacheDir())
                .isEqualTo(Path.of("/var/cache/t"));
    }

    @Test
    void layoutOfTheStateDir() {
        StackConfig c = builder(Map.of()).build();
        assertThat(c.logFile("kafka")).isEqualTo(Path.of("/tmp/x/logs/kafka.log"));
        assertThat(c.pidFile("kafka")).isEqualTo(Path.of("/tmp/x/pids/kafka.pid"));
        assertThat(c.endpointsFile()).isEqualTo(Path.of("/tmp/x/endpoints.properties"));
    }

    @Test
    void toBuilderKeepsEverything() {
        StackConfig c = builder(Map.of())
                .portBase(31000)
                .port(Port.SMTP, 2525)
                .fresh(true)
                .build();
        StackConfig d = c.toBuilder().build();
        assertThat(d.ports()).isEqualTo(c.ports());
        assertThat(d.fresh()).isTrue();
        assertThat(d.stateDir()).isEqualTo(c.stateDir());
    }
}
