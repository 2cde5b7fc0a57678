package org.tandem.devstack;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {

    @Test
    void defaultsForUp() {
        Main.Args a = Main.parse(new String[] {"up", "--repo", "/r"}, Map.of());
        assertThat(a.command()).isEqualTo("up");
        assertThat(a.stateDir()).isEqualTo(Path.of("/r/.tandem/stack"));
        assertThat(a.portBase()).isEqualTo(StackConfig.DEV_PORT_BASE);
        assertThat(a.fresh()).isFalse();
    }

    @Test
    void optionsInBothSpellings() {
        Main.Args a =
                Main.parse(new String[] {"infra-up", "--state-dir=/s", "--port-base", "28000", "--fresh"}, Map.of());
        assertThat(a.stateDir()).isEqualTo(Path.of("/s"));
        assertThat(a.portBase()).isEqualTo(28000);
        assertThat(a.fresh()).isTrue();
    }

    @Test
    void environmentFillsTheGaps() {
        Main.Args a = Main.parse(
                new String[] {"status", "--repo", "/r"}, Map.of("TANDEM_STATE_DIR", "/e", "TANDEM_PORT_BASE", "30000"));
        assertThat(a.stateDir()).isEqualTo(Path.of("/e"));
        assertThat(a.portBase()).isEqualTo(30000);
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> Main.parse(new String[] {"test"}, Map.of())).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> Main.parse(new String[] {"up", "--bogus"}, Map.of()))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> Main.parse(new String[] {"up", "--port-base"}, Map.of()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Main.parse(new String[] {}, Map.of())).hasMessageContaining("no command");
    }

    @Test
    void instancesForUpAreBoundedAndGoIntoTheConfiguration() {
        assertThat(Main.parse(new String[] {"up", "--repo", "/r"}, Map.of()).instances())
                .isEqualTo(1);
        Main.Args two = Main.parse(new String[] {"up", "--repo", "/r", "--instances", "2"}, Map.of());
        assertThat(two.instances()).isEqualTo(2);
        StackConfig cfg = Main.config(two, Map.of());
        assertThat(cfg.instances()).isEqualTo(2);
        assertThat(cfg.instancePort(Port.REFERRAL, 1)).isEqualTo(18112);
        assertThat(cfg.instancePort(Port.REFERRAL, 2)).isEqualTo(18122);
        assertThat(Main.parse(new String[] {"up", "--repo", "/r", "--instances=4"}, Map.of())
                        .instances())
                .isEqualTo(4);
        for (String bad : new String[] {"0", "5", "-1", "two", ""}) {
            assertThatThrownBy(() -> Main.parse(new String[] {"up", "--repo", "/r", "--instances", bad}, Map.of()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--instances must be");
        }
        assertThatThrownBy(() -> Main.parse(new String[] {"down", "--repo", "/r", "--instances", "2"}, Map.of()))
                .hasMessageContaining("with up only");
    }
}
