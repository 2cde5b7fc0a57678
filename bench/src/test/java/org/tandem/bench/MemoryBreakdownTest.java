package org.tandem.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MemoryBreakdownTest {

    /** Two mappings of an AOT cache, the JDK's CDS archive, a heap range and a library, as smaps lists them. */
    static final String SMAPS = """
            3c001000-4010c000 rw-p 00001000 fe:00 5431375                            /srv/app/target/aot/app.aot
            Size:              66604 kB
            Rss:               62636 kB
            Private_Dirty:     53332 kB
            4010c000-45b38000 r--p 0410c000 fe:00 5431375                            /srv/app/target/aot/app.aot
            Size:              92336 kB
            Rss:               88688 kB
            800000000-800c00000 rw-p 00000000 00:00 0
            Size:              12288 kB
            Rss:               40000 kB
            7f0000000000-7f0000100000 r--p 00000000 fe:00 11                         /usr/lib/jvm/jdk/lib/server/classes.jsa
            Rss:                1024 kB
            7fa91b6e3000-7fa91c76f000 r-xp 00000000 fe:00 12                         /usr/lib/jvm/jdk/lib/server/libjvm.so
            Rss:               13360 kB
            """;

    @Test
    void class_data_is_the_resident_part_of_aot_and_cds_mappings_only() {
        assertThat(MemoryBreakdown.classDataKiB(SMAPS)).isEqualTo(62_636 + 88_688 + 1_024);
        assertThat(MemoryBreakdown.classDataKiB("")).isZero();
    }

    @Test
    void counters_are_the_numeric_name_value_lines() {
        Map<String, Long> c = MemoryBreakdown.counters("""
                12345:
                java.cls.loadedClasses=375
                java.property.java.vm.name="OpenJDK 64-Bit Server VM"
                sun.gc.generation.0.capacity=22347776
                """);
        assertThat(c)
                .containsEntry("java.cls.loadedClasses", 375L)
                .containsEntry("sun.gc.generation.0.capacity", 22347776L);
        assertThat(c).doesNotContainKey("java.property.java.vm.name");
    }

    @Test
    void parts_add_up_and_other_is_what_they_leave() {
        Map<String, Long> counters = Map.of(
                "sun.gc.generation.0.capacity", 20L << 20,
                "sun.gc.generation.1.capacity", 44L << 20,
                "sun.gc.metaspace.capacity", 9L << 20,
                "sun.gc.compressedclassspace.capacity", 1L << 20,
                "sun.ci.nmethodCodeSize", 12L << 20,
                "java.cls.loadedClasses", 375L,
                "java.cls.sharedLoadedClasses", 22_907L);
        MemoryBreakdown m = MemoryBreakdown.from(341.0, SMAPS, counters, 38);
        assertThat(m.classDataMiB()).isCloseTo((62_636 + 88_688 + 1_024) / 1024.0, within(0.01));
        assertThat(m.heapCommittedMiB()).isEqualTo(64.0);
        assertThat(m.metaspaceMiB()).isEqualTo(10.0);
        assertThat(m.compiledCodeMiB()).isEqualTo(12.0);
        assertThat(m.classesLoaded()).isEqualTo(23_282);
        assertThat(m.classesFromCache()).isEqualTo(22_907);
        assertThat(m.otherMiB()).isCloseTo(341.0 - 148.78 - 64 - 10 - 12, within(0.01));

        Map<String, MemoryBreakdown> rows = new LinkedHashMap<>();
        rows.put("referral-service", m);
        assertThat(MemoryBreakdown.markdown(rows))
                .contains("| referral-service | 341 | 149 | 64 | 10 | 12 | 106 | 23,282 (22,907) | 38 |");
        assertThat(MemoryBreakdown.markdown(Map.of())).isEmpty();
    }

    @Test
    void reads_a_running_jvm_this_one() {
        MemoryBreakdown m = MemoryBreakdown.of(ProcessHandle.current().pid()).orElseThrow();
        Runtime rt = Runtime.getRuntime();
        assertThat(m.residentMiB()).isPositive();
        // the counters are the JVM's own: the committed heap is what the runtime reports as its total
        assertThat(m.heapCommittedMiB()).isCloseTo(rt.totalMemory() / (1024.0 * 1024.0), within(64.0));
        assertThat(m.metaspaceMiB()).isPositive();
        assertThat(m.classesLoaded()).isGreaterThan(1_000);
        assertThat(m.threads()).isGreaterThanOrEqualTo(Thread.activeCount());
    }

    @Test
    void a_process_that_is_gone_has_no_breakdown() {
        assertThat(MemoryBreakdown.of(Long.MAX_VALUE)).isEmpty();
    }
}
