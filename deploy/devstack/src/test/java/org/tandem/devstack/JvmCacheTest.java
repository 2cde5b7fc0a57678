package org.tandem.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which start-up cache a launch uses, and when it falls back to none (docs/operations.md, "The AOT cache"). */
class JvmCacheTest {

    static final Services.Service REFERRAL = Services.ALL.get(1);

    @TempDir
    Path repo;

    /** A built service: quarkus-app with a few files. */
    Path app() throws Exception {
        Path app = repo.resolve("referral-service/target/quarkus-app");
        Files.createDirectories(app.resolve("lib/main"));
        Files.writeString(app.resolve("quarkus-run.jar"), "run");
        Files.writeString(app.resolve("lib/main/a.jar"), "a");
        return app;
    }

    /** What a training run leaves: the cache file, then the launcher's seal. */
    void trained() throws Exception {
        Path dir = JvmCache.dir(repo, REFERRAL);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(JvmCache.CACHE), "cache");
        assertThat(JvmCache.seal(repo, REFERRAL)).isTrue();
    }

    @Test
    void the_switch_reads_none_appcds_and_aot_and_defaults_to_aot() {
        assertThat(JvmCache.Mode.parse("none")).isEqualTo(JvmCache.Mode.NONE);
        assertThat(JvmCache.Mode.parse(" AppCDS ")).isEqualTo(JvmCache.Mode.APPCDS);
        assertThat(JvmCache.Mode.parse("aot")).isEqualTo(JvmCache.Mode.AOT);
        assertThatThrownBy(() -> JvmCache.Mode.parse("train")).hasMessageContaining("none, appcds or aot");
        StackConfig.Builder b = StackConfig.builder().stateDir(repo);
        assertThat(b.environment(Map.of()).build().jvmCache()).isEqualTo(JvmCache.Mode.AOT);
        assertThat(b.environment(Map.of("TANDEM_JVM_CACHE", "appcds")).build().jvmCache())
                .isEqualTo(JvmCache.Mode.APPCDS);
        assertThat(b.jvmCache(JvmCache.Mode.NONE).build().jvmCache()).isEqualTo(JvmCache.Mode.NONE);
        assertThat(b.build().toBuilder().build().jvmCache()).isEqualTo(JvmCache.Mode.NONE);
    }

    @Test
    void a_cache_trained_on_these_jars_is_used_with_or_without_its_profiles() throws Exception {
        app();
        trained();
        JvmCache.Choice aot = JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 25);
        assertThat(aot.mode()).isEqualTo(JvmCache.Mode.AOT);
        assertThat(aot.options())
                .startsWith("-XX:AOTCache=" + JvmCache.dir(repo, REFERRAL).resolve(JvmCache.CACHE))
                .contains("-XX:Tier0ProfileDelayFactor=10", "-XX:Tier2ProfileDelayFactor=10")
                .doesNotContain("-XX:-AOTReplayTraining");
        assertThat(JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 26).options())
                .as("the delay is measured on JDK 25 only")
                .containsExactly("-XX:AOTCache=" + JvmCache.dir(repo, REFERRAL).resolve(JvmCache.CACHE));
        JvmCache.Choice appcds = JvmCache.choose(JvmCache.Mode.APPCDS, repo, REFERRAL, 25);
        assertThat(appcds.mode()).isEqualTo(JvmCache.Mode.APPCDS);
        assertThat(appcds.options())
                .contains("-XX:-AOTReplayTraining")
                .doesNotContainAnyElementsOf(JvmCache.PROFILE_DELAY.subList(1, JvmCache.PROFILE_DELAY.size()));
        assertThat(JvmCache.choose(JvmCache.Mode.NONE, repo, REFERRAL, 25).options())
                .isEmpty();
    }

    @Test
    void an_older_jdk_missing_cache_or_changed_jar_falls_back_to_none_with_a_reason() throws Exception {
        Path app = app();
        JvmCache.Choice missing = JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 25);
        assertThat(missing.mode()).isEqualTo(JvmCache.Mode.NONE);
        assertThat(missing.options()).isEmpty();
        assertThat(missing.note()).contains("none built");

        trained();
        JvmCache.Choice old = JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 21);
        assertThat(old.mode()).isEqualTo(JvmCache.Mode.NONE);
        assertThat(old.note()).contains("JDK 21").contains("25").doesNotContain("\n");

        // JDK 25.0.3 would run the old classes from the cache (JDK-8377932): the launcher must refuse it
        Files.writeString(app.resolve("lib/main/a.jar"), "b");
        JvmCache.Choice changed = JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 25);
        assertThat(changed.mode()).isEqualTo(JvmCache.Mode.NONE);
        assertThat(changed.note()).contains("other jars").contains("1 of 2");

        Files.writeString(app.resolve("lib/main/a.jar"), "a");
        Files.writeString(app.resolve("lib/main/new.jar"), "n");
        assertThat(JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 25).mode())
                .isEqualTo(JvmCache.Mode.NONE);
    }

    @Test
    void an_identical_rebuild_keeps_the_cache_and_gets_the_trained_times_back() throws Exception {
        Path app = app();
        Path jar = app.resolve("lib/main/a.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_000_000L));
        trained();
        Files.writeString(jar, "a"); // the same bytes, written anew
        assertThat(Files.getLastModifiedTime(jar).toMillis()).isNotEqualTo(1_000_000_000_000L);
        assertThat(JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 25).mode())
                .isEqualTo(JvmCache.Mode.AOT);
        assertThat(Files.getLastModifiedTime(jar).toMillis()).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void a_training_run_records_into_a_fresh_cache_and_seal_needs_a_written_cache() throws Exception {
        app();
        trained();
        JvmCache.Choice train = JvmCache.choose(JvmCache.Mode.TRAIN, repo, REFERRAL, 25);
        assertThat(train.options())
                .containsExactly(
                        "-XX:AOTCacheOutput=" + JvmCache.dir(repo, REFERRAL).resolve(JvmCache.CACHE));
        // the old cache and its seal are gone until the run writes the new one
        assertThat(JvmCache.dir(repo, REFERRAL).resolve(JvmCache.CACHE)).doesNotExist();
        assertThat(JvmCache.seal(repo, REFERRAL)).isFalse();
        assertThat(JvmCache.choose(JvmCache.Mode.AOT, repo, REFERRAL, 25).mode())
                .isEqualTo(JvmCache.Mode.NONE);
        // the web application is not trained
        assertThat(JvmCache.choose(JvmCache.Mode.TRAIN, repo, Services.ALL.get(3), 25)
                        .options())
                .isEmpty();
    }

    @Test
    void the_launch_puts_the_cache_options_before_the_jar() {
        var cmd = Services.command(
                Path.of("/app/quarkus-run.jar"), java.util.List.of("-XX:AOTCache=/c/app.aot"), java.util.List.of());
        assertThat(cmd.indexOf("-XX:AOTCache=/c/app.aot")).isLessThan(cmd.indexOf("-jar"));
        assertThat(cmd)
                .contains("-XX:+UseSerialGC", "-XX:SweeperThreshold=40")
                .endsWith("-jar", "/app/quarkus-run.jar");
    }

    @Test
    void an_experiments_java_options_come_after_tandems_own_and_before_the_jar() {
        var cfg = StackConfig.builder()
                .stateDir(Path.of("/tmp/x"))
                .environment(Map.of("TANDEM_SERVICE_JAVA_OPTIONS", " -XX:TieredStopAtLevel=1   -Xmx300m "))
                .build();
        assertThat(cfg.serviceJavaOptions()).containsExactly("-XX:TieredStopAtLevel=1", "-Xmx300m");
        var cmd = Services.command(Path.of("/app/quarkus-run.jar"), java.util.List.of(), cfg.serviceJavaOptions());
        assertThat(cmd.indexOf("-Xmx300m")).isGreaterThan(cmd.indexOf("-Xmx256m"));
        assertThat(cmd).endsWith("-XX:TieredStopAtLevel=1", "-Xmx300m", "-jar", "/app/quarkus-run.jar");
        assertThat(StackConfig.builder()
                        .stateDir(Path.of("/tmp/x"))
                        .environment(Map.of())
                        .build()
                        .serviceJavaOptions())
                .isEmpty();
    }
}
