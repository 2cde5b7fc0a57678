package org.tandem.platform.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.platform.audit.AnchorKey.Anchor;
import org.tandem.platform.audit.AuditLog.Head;
import org.tandem.platform.audit.AuditLog.Verification;
import org.tandem.platform.lease.JobLease;

/**
 * Anchors the audit chain outside the database and checks it against its anchors (docs/privacy.md, "Audit trust
 * model"). Every {@code tandem.audit.anchor-every} (at most an hour), one instance of the service (a lease in the
 * database) verifies the chain from its last anchor on {@code tandem.audit-anchors.v1}; if it holds, it signs the
 * current head with the anchor key and publishes it there, then purges what retention allows up to an anchored head.
 * Every {@code tandem.audit.full-verification-every} it verifies the whole chain against the last anchor. A broken or
 * truncated chain is never anchored: it is reported under {@code <service>/chain-broken}, which notification-service
 * turns into a coordinator alert, on every run until it is repaired.
 */
@ApplicationScoped
public class AuditAnchoring {

    private static final Logger LOG = Logger.getLogger(AuditAnchoring.class);
    static final String ANCHOR_LEASE = "audit.anchor";
    static final String FULL_LEASE = "audit.full-verification";

    @Inject
    AuditLog log;

    @Inject
    AnchorTopic topic;

    @Inject
    JobLease lease;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "tandem.audit.service")
    String service;

    @ConfigProperty(name = "tandem.audit.anchor-key")
    String anchorKey;

    @ConfigProperty(name = "tandem.audit.anchor-every")
    String anchorEvery;

    @ConfigProperty(name = "tandem.audit.full-verification-every")
    String fullEvery;

    @ConfigProperty(name = "tandem.retention.audit-log")
    Period retention;

    @Inject
    MeterRegistry meters;

    private volatile AnchorKey key;
    private volatile Verification lastVerification;

    /** When the newest anchor on the topic was signed, as last read; until one is read, when this instance started. */
    private final AtomicReference<Instant> lastAnchoredAt = new AtomicReference<>();

    /** A key that does not parse stops the service at start, with a message that names the setting. */
    void onStart(@Observes StartupEvent start) {
        key();
        lastAnchoredAt.set(clock.instant());
        Gauge.builder("tandem.audit.anchor.age", this, AuditAnchoring::anchorAgeSeconds)
                .description("Seconds since the newest anchor of this service's audit chain was signed (read from the "
                        + "anchors topic; since the start while none is known)")
                .baseUnit("seconds")
                .register(meters);
        if (interval(anchorEvery).map(d -> d.compareTo(Duration.ofHours(1)) > 0).orElse(false)) {
            throw new IllegalStateException("tandem.audit.anchor-every must be at most 1h (an anchor at least hourly)");
        }
        if (retention.isNegative()) {
            throw new IllegalStateException("tandem.retention.audit-log must not be negative");
        }
    }

    /** The name this service's anchors carry and are keyed by on the topic. */
    public String service() {
        return service;
    }

    AnchorKey key() {
        if (key == null) {
            key = AnchorKey.parse(anchorKey);
        }
        return key;
    }

    @Scheduled(
            identity = "audit-anchor",
            every = "${tandem.audit.anchor-every}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledAnchor() {
        if (lease.acquire(ANCHOR_LEASE, leaseFor(anchorEvery))) {
            anchorNow();
        }
    }

    @Scheduled(
            identity = "audit-full-verification",
            every = "${tandem.audit.full-verification-every}",
            delayed = "10m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledFullVerification() {
        if (lease.acquire(FULL_LEASE, leaseFor(fullEvery))) {
            verifyAll();
        }
    }

    /**
     * Reads the newest anchor's signing time from the topic, where the service's database credentials cannot
     * forge it, for {@code tandem_audit_anchor_age_seconds}: any instance's anchoring counts, so the figure is the
     * same on every instance (docs/operations.md, alert at two hours).
     */
    @Scheduled(
            identity = "audit-anchor-age",
            every = "5m",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refreshAnchorAge() {
        try {
            lastAnchor().ifPresent(a -> noteAnchored(a.signedAt()));
        } catch (RuntimeException e) {
            LOG.warnf("could not read the last audit anchor for its age: %s", e.getMessage());
        }
    }

    private void noteAnchored(Instant signedAt) {
        lastAnchoredAt.accumulateAndGet(signedAt, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    double anchorAgeSeconds() {
        Instant at = lastAnchoredAt.get();
        return at == null
                ? 0
                : Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0);
    }

    /** The lease outlives most of the interval, so that the other instances' runs of the same interval find it taken. */
    private static Duration leaseFor(String every) {
        return interval(every).map(d -> d.multipliedBy(9).dividedBy(10)).orElse(Duration.ofMinutes(50));
    }

    private static Optional<Duration> interval(String every) {
        try {
            String e = every.strip();
            return Optional.of(Duration.parse(e.startsWith("P") || e.startsWith("p") ? e : "PT" + e));
        } catch (RuntimeException notADuration) {
            return Optional.empty(); // "off" and the like: no scheduled run
        }
    }

    /** What one anchoring run did. */
    public record Run(Verification verification, Optional<Anchor> anchor, long purged) {}

    /**
     * Verifies the chain from the last published anchor (the whole chain when there is none), and if it holds, signs
     * and publishes the head and purges what retention allows. Not leased: the scheduled run takes the lease first.
     */
    public Run anchorNow() {
        Optional<Anchor> last = lastAnchor();
        Verification v = last.map(a -> log.verifySince(a.head())).orElseGet(() -> log.verify(null));
        lastVerification = v;
        if (!v.intact()) {
            report(v);
            return new Run(v, Optional.empty(), 0);
        }
        Optional<Head> head = log.head();
        if (head.isEmpty()) {
            return new Run(v, Optional.empty(), 0);
        }
        Anchor anchor = key().sign(service, head.get(), clock.instant());
        topic.publish(service, anchor.jws());
        noteAnchored(anchor.signedAt());
        record(anchor);
        LOG.infof("audit anchor published: service %s, seq %d", service, anchor.seq());
        long purged = 0;
        try {
            purged = purge(retention);
        } catch (RuntimeException e) {
            LOG.warnf("audit log retention purge refused or failed: %s", e.getMessage());
        }
        return new Run(v, Optional.of(anchor), purged);
    }

    /** Verifies the whole chain against the last published anchor; a broken or truncated chain is reported. */
    public Verification verifyAll() {
        Verification v = log.verify(lastAnchor().map(Anchor::head).orElse(null));
        lastVerification = v;
        if (!v.intact()) {
            report(v);
        }
        return v;
    }

    /** The newest anchor this service published, if its signature holds (a forged or foreign one is ignored). */
    public Optional<Anchor> lastAnchor() {
        return topic.latest(service).flatMap(jws -> key().verify(jws, service));
    }

    /** The result of the last verification this instance ran, if any. */
    public Optional<Verification> lastVerification() {
        return Optional.ofNullable(lastVerification);
    }

    /** The anchors recorded here, newest first, each with whether its signature holds. */
    @Transactional
    public List<Map<String, Object>> recordedAnchors(int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select seq, jws from audit_anchor order by seq desc limit :n")
                .setParameter("n", limit)
                .getResultList();
        return rows.stream()
                .map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("seq", ((Number) r[0]).longValue());
                    var a = key().verify((String) r[1], service);
                    m.put("signatureValid", a.isPresent() && a.get().seq() == ((Number) r[0]).longValue());
                    a.ifPresent(x -> {
                        m.put("hash", x.hash());
                        m.put("signedAt", x.signedAt().toString());
                        m.put("kid", x.kid());
                    });
                    return m;
                })
                .toList();
    }

    /**
     * Removes the entries older than {@code keep}, but only up to the newest recorded anchor (with a valid signature)
     * whose entry is older than that: what remains starts right after an anchored head and still verifies.
     */
    public long purge(Period keep) {
        Instant cutoff = clock.instant().atOffset(ZoneOffset.UTC).minus(keep).toInstant();
        @SuppressWarnings("unchecked")
        List<Object[]> candidates = QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("select seq, jws from audit_anchor order by seq desc limit 1000")
                        .getResultList());
        for (Object[] r : candidates) {
            Optional<Anchor> a = key().verify((String) r[1], service);
            if (a.isEmpty() || a.get().seq() != ((Number) r[0]).longValue()) {
                continue;
            }
            Optional<Instant> at = log.timeOf(a.get().seq());
            if (at.isPresent() && at.get().isBefore(cutoff)) {
                long n = log.purge(a.get().head(), cutoff);
                if (n > 0) {
                    LOG.infof(
                            "audit log: purged %d entries through seq %d (anchored)",
                            n, a.get().seq());
                }
                return n;
            }
        }
        return 0;
    }

    private void record(Anchor anchor) {
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("""
                insert into audit_anchor (seq, hash, signed_at, jws) values (:seq, :hash, :at, :jws)
                on conflict (seq) do update set hash = excluded.hash, signed_at = excluded.signed_at, jws = excluded.jws""")
                        .setParameter("seq", anchor.seq())
                        .setParameter("hash", anchor.hash())
                        .setParameter("at", java.sql.Timestamp.from(anchor.signedAt()))
                        .setParameter("jws", anchor.jws())
                        .executeUpdate());
    }

    private void report(Verification v) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("service", service);
        report.put("status", v.status().name());
        report.put("firstBrokenSeq", v.firstBrokenSeq());
        report.put("anchorSeq", v.anchorSeq());
        report.put("detectedAt", clock.instant().toString());
        LOG.errorf(
                "audit chain of %s is %s at seq %s (anchor %s)",
                service, v.status(), v.firstBrokenSeq(), v.anchorSeq());
        try {
            topic.publish(service + AnchorTopic.BROKEN_SUFFIX, json.writeValueAsString(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
