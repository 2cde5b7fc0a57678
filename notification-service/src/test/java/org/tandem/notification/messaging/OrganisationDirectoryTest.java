package org.tandem.notification.messaging;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.KeyUse;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.events.registry.OrganisationKeyRotated;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.events.registry.OrganisationSuspended;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.platform.organisations.KnownOrganisations;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.TandemInfraResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notification-service's organisations read model follows the compacted topic, ignores stale snapshots,
 * and is rebuilt from scratch from the topic to the same state.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class OrganisationDirectoryTest {

    @Inject
    OrganisationDirectory directory;

    static OrganisationSnapshot snapshot(
            UUID id, long version, MembershipStatus status, int available, List<PublicKeyRef> keys) {
        return OrganisationSnapshot.newBuilder()
                .setOrganisationId(id.toString())
                .setVersion(version)
                .setCountry("DE")
                .setMembershipStatus(status)
                .setServices(List.of(ServiceCode.SAFE_ACCOMMODATION))
                .setLanguages(List.of("deu"))
                .setWomenOnly(true)
                .setAcceptsMinors(false)
                .setAcceptsWomenWithChildren(true)
                .setCapacityAvailable(available)
                .setCapacityUpdatedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .setKeys(keys)
                .build();
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The fields the test compares (capacityUpdatedAt differs per snapshot built). */
    record Row(
            String country,
            String status,
            List<String> services,
            List<String> languages,
            Integer available,
            List<String> keyIds,
            long version) {
        static Row of(KnownOrganisations.KnownOrganisation o) {
            return new Row(
                    o.country(),
                    o.membershipStatus(),
                    o.services(),
                    o.languages(),
                    o.capacityAvailable(),
                    o.keyIds(),
                    o.version());
        }
    }

    @Test
    void the_read_model_follows_the_topic_and_is_rebuilt_from_scratch_to_the_same_state() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        var key = PublicKeyRef.newBuilder()
                .setKid("kid-" + a)
                .setUse(KeyUse.ENCRYPTION)
                .setNotBefore(now())
                .build();
        try (var writer = new EventTopicWriter()) {
            writer.publish(
                    Topics.ORGANISATIONS,
                    a.toString(),
                    OrganisationApproved.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(now())
                            .setOrganisation(snapshot(a, 1, MembershipStatus.APPROVED, 3, List.of()))
                            .build());
            writer.publish(
                    Topics.ORGANISATIONS,
                    a.toString(),
                    OrganisationKeyRotated.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(now())
                            .setOrganisation(snapshot(a, 2, MembershipStatus.APPROVED, 3, List.of(key)))
                            .build());
            writer.publish(
                    Topics.ORGANISATIONS,
                    b.toString(),
                    OrganisationApproved.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(now())
                            .setOrganisation(snapshot(b, 1, MembershipStatus.APPROVED, 1, List.of()))
                            .build());
            writer.publish(
                    Topics.ORGANISATIONS,
                    b.toString(),
                    OrganisationSuspended.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(now())
                            .setOrganisation(snapshot(b, 2, MembershipStatus.SUSPENDED, 0, List.of()))
                            .build());
            // a stale snapshot, as after a relay resend, changes nothing
            writer.publish(
                    Topics.ORGANISATIONS,
                    b.toString(),
                    OrganisationApproved.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(now())
                            .setOrganisation(snapshot(b, 1, MembershipStatus.APPROVED, 1, List.of()))
                            .build());
        }
        var expectedA =
                new Row("DE", "APPROVED", List.of("SAFE_ACCOMMODATION"), List.of("deu"), 3, List.of("kid-" + a), 2);
        var expectedB = new Row("DE", "SUSPENDED", List.of("SAFE_ACCOMMODATION"), List.of("deu"), 0, List.of(), 2);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(directory.find(a).map(Row::of)).contains(expectedA);
                    assertThat(directory.find(b).map(Row::of)).contains(expectedB);
                });

        // lose the model entirely, then rebuild it from the compacted topic alone
        QuarkusTransaction.requiringNew().run(() -> {
            var em = io.quarkus.hibernate.orm.panache.Panache.getEntityManager();
            em.createNativeQuery("delete from known_organisation_key").executeUpdate();
            em.createNativeQuery("delete from known_organisation").executeUpdate();
        });
        assertThat(directory.find(a)).isEmpty();
        long read = directory.rebuild();
        assertThat(read).isGreaterThanOrEqualTo(5);
        assertThat(directory.find(a).map(Row::of)).contains(expectedA);
        assertThat(directory.find(b).map(Row::of)).contains(expectedB);
    }
}
