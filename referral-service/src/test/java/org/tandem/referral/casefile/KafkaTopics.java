package org.tandem.referral.casefile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.tandem.testing.TestInfrastructure;

/** Reads every record of every topic on the real broker as raw bytes. */
final class KafkaTopics {

    private KafkaTopics() {}

    /** The topics whose keys, values or headers contain the marker's bytes; the number of records read. */
    static List<String> containing(String marker, int[] recordsRead) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        String hexNeedle = HexFormat.of().formatHex(needle);
        List<String> found = new ArrayList<>();
        Map<String, Object> config = TestInfrastructure.endpoints().kafkaAdminClient(); // reads every topic
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (var consumer =
                new KafkaConsumer<byte[], byte[]>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics(Duration.ofSeconds(30))
                    .forEach((topic, infos) ->
                            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read every topic to its end within 60 s");
                }
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    recordsRead[0]++;
                    if (contains(r.key(), needle, hexNeedle)
                            || contains(r.value(), needle, hexNeedle)
                            || java.util.stream.StreamSupport.stream(r.headers().spliterator(), false)
                                    .anyMatch(h -> contains(h.value(), needle, hexNeedle))) {
                        found.add(r.topic());
                    }
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle, String hexNeedle) {
        if (haystack == null) {
            return false;
        }
        return indexOf(haystack, needle) >= 0
                || new String(haystack, StandardCharsets.ISO_8859_1)
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains(hexNeedle);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
