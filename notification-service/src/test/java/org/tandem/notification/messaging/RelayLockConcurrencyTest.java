package org.tandem.notification.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.tandem.notification.support.Database;
import org.tandem.platform.outbox.RelayLock;
import org.tandem.testing.TandemInfraResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox relays of the three services share one database, and so one space of advisory locks: each
 * service's relay lock has a key of its own (issue #17), so that a relay never waits on another service's,
 * while two instances of one service still exclude each other. The other relays are played by sessions of
 * their own on the same database, holding the locks that their services derive, as a relay does mid-batch.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class RelayLockConcurrencyTest {

    @Inject
    RelayLock lock;

    @Test
    void the_relay_takes_its_lock_while_the_other_services_relays_hold_theirs() throws Exception {
        assertThat(lock.key()).isEqualTo(RelayLock.keyOf("notification"));
        try (Connection referral = Database.tandem();
                Connection registry = Database.tandem()) {
            assertThat(hold(referral, RelayLock.keyOf("referral"))).isTrue();
            assertThat(hold(registry, RelayLock.keyOf("registry"))).isTrue();

            assertThat(QuarkusTransaction.requiringNew().call(lock::tryAcquire))
                    .as("notification-service's relay does not wait on referral-service's or registry-service's")
                    .isTrue();
            referral.rollback();
            registry.rollback();
        }
    }

    @Test
    void two_instances_of_one_service_still_relay_one_at_a_time() throws Exception {
        try (Connection otherInstance = Database.tandem()) {
            assertThat(hold(otherInstance, RelayLock.keyOf("notification"))).isTrue();
            assertThat(QuarkusTransaction.requiringNew().call(lock::tryAcquire))
                    .as("another notification-service instance holds the lock")
                    .isFalse();
            otherInstance.rollback();
        }
        assertThat(QuarkusTransaction.requiringNew().call(lock::tryAcquire))
                .as("free again after its transaction")
                .isTrue();
    }

    /** Takes a relay lock in an open transaction of {@code c}, as a relay does for its batch. */
    private static boolean hold(Connection c, int key) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_xact_lock(?, ?)")) {
            s.setInt(1, RelayLock.RELAY_CLASS);
            s.setInt(2, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }
}
