package org.tandem.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The lock that lets one relay of a service publish at a time: a transaction-scoped PostgreSQL advisory lock
 * whose key is derived from the schema that holds the service's outbox table. The services share one database,
 * and so one space of advisory locks; a key of their own keeps one service's relay from waiting on another's
 * (docs/architecture.md, "Writing state and events together").
 *
 * <p>The key is PostgreSQL's two-part form: {@link #RELAY_CLASS}, and the CRC-32 of the outbox table's qualified
 * name. CRC-32 is a fixed algorithm, so every instance of a service, whatever its JVM, derives the same key.
 */
@ApplicationScoped
public class RelayLock {

    /** The first part of every relay's key: the class of lock ("tz" and 0x0101). */
    public static final int RELAY_CLASS = 0x747A_0101;

    @Inject
    EntityManager em;

    /** The schema of the service's tables; the application name when it has none configured. */
    @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema")
    Optional<String> schema;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "tandem")
    String application;

    /** The second part of this service's key. */
    public int key() {
        return keyOf(schema.filter(s -> !s.isBlank()).orElse(application));
    }

    /** The second part of the key of the relay whose outbox table is in {@code schema}. */
    public static int keyOf(String schema) {
        CRC32 crc = new CRC32();
        crc.update((schema + ".outbox_event").getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** Takes the lock until the current transaction ends, unless another relay of this service holds it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean tryAcquire() {
        return (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(:c, :k)")
                .setParameter("c", RELAY_CLASS)
                .setParameter("k", key())
                .getSingleResult();
    }
}
