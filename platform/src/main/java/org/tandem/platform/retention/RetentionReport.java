package org.tandem.platform.retention;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What {@code GET /api/v1/retention/report} answers (docs/retention.md): for each kind of record this service
 * keeps, its period, its oldest record still held, and how many are past the period.
 *
 * @param service      the service that holds these records
 * @param at           when the report was made (the service's clock)
 * @param organisation the organisation the counts are limited to (an org-admin's), or null for the whole network
 * @param kinds        one row per kind
 */
public record RetentionReport(String service, Instant at, UUID organisation, List<Row> kinds) {

    /**
     * @param kind        the kind's name, as in {@code tandem.retention.<kind>}
     * @param period      the ISO-8601 period
     * @param oldest      the start of the period of the oldest record still held, or null when there is none
     * @param pastPeriod  how many records are past their period; null where the count is not the service's
     *                    (a Kafka topic, enforced by the broker)
     * @param enforcedBy  what removes them
     */
    public record Row(String kind, String period, Instant oldest, Long pastPeriod, String enforcedBy) {}

    /** The row of {@code kind} from an oldest start and a count. */
    public static Row row(
            RetentionPolicy policy, RetentionKind kind, Instant oldest, Long pastPeriod, String enforcedBy) {
        return new Row(kind.reportName(), policy.period(kind).toString(), oldest, pastPeriod, enforcedBy);
    }
}
