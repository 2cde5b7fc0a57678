package org.tandem.referral.retention;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.domain.Envelope;
import org.tandem.referral.service.HubKeyRing;
import org.tandem.referral.support.AdjustableClock;
import org.tandem.referral.support.Network;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hub-key rotation (docs/retention.md, "Backups"): a data key wrapped with the old hub key, as stored
 * before the rotation, is re-wrapped under the current one and still opens its file; the old key is kept while
 * a backup within its retention may hold it, and retired after.
 */
@QuarkusTest
@TestProfile(HubKeyRotationTest.TwoHubKeys.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class HubKeyRotationTest {

    static final String HUB_1 = "dGFuZGVtLWRldmVsb3BtZW50LWh1Yi1rZXktMDAwMDA=";
    static final String HUB_2 =
            Base64.getEncoder().encodeToString("retention-test-hub-key-2-0000000".getBytes(StandardCharsets.US_ASCII));

    /** hub-2 is current; hub-1, the one before the rotation, is still configured. */
    public static class TwoHubKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tandem.case-files.hub-keys.hub-1",
                    HUB_1,
                    "tandem.case-files.hub-keys.hub-2",
                    HUB_2,
                    "tandem.case-files.current-hub-key",
                    "hub-2");
        }
    }

    static Network network;

    @Inject
    HubKeyRotation rotation;

    @Inject
    AdjustableClock clock;

    @BeforeAll
    static void organisations() {
        network = Network.of("LV", "SI");
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void old_data_keys_are_rewrapped_under_the_current_hub_key_and_the_old_key_is_retired_after_the_backups()
            throws Exception {
        TestOrganisation sender = network.get(0);
        UUID referral = UUID.fromString(Referrals.draft(sender, network.get(1), "ROUTINE"));
        byte[] file = "sealed JWE stand-in, no real data".getBytes(StandardCharsets.US_ASCII);
        SecretKey dataKey = Envelope.newDataKey();
        SecretKey hub1 = Envelope.key(Base64.getDecoder().decode(HUB_1));
        SecretKey hub2 = Envelope.key(Base64.getDecoder().decode(HUB_2));
        // a case file stored before the rotation: its data key wrapped with hub-1
        try (Connection c = RetentionApiTest.connect()) {
            var f = c.prepareStatement("""
                    insert into referral.case_file (referral_id, sealed, receiver_kid, data_categories, size_bytes, uploaded_at, uploaded_by)
                    values (?, ?, 'test-kid', '{IDENTITY}', ?, now(), 'test')""");
            f.setObject(1, referral);
            f.setBytes(
                    2,
                    Envelope.seal(dataKey, file, ("tandem-case-file:" + referral).getBytes(StandardCharsets.US_ASCII)));
            f.setInt(3, file.length);
            f.executeUpdate();
            var k = c.prepareStatement(
                    "insert into referral.case_file_key (referral_id, hub_key_id, wrapped_key) values (?, 'hub-1', ?)");
            k.setObject(1, referral);
            k.setBytes(2, Envelope.wrap(hub1, dataKey, HubKeyRing.dataKeyAssociatedData(referral, "hub-1")));
            k.executeUpdate();
        }

        HubKeyRotation.Report first = rotation.run(1);
        assertThat(first.currentKeyId()).isEqualTo("hub-2");
        assertThat(first.rewrapped()).isGreaterThanOrEqualTo(1);
        assertThat(first.oldKeys()).singleElement().satisfies(k -> {
            assertThat(k.id()).isEqualTo("hub-1");
            assertThat(k.state()).isEqualTo(HubKeyRotation.State.KEPT_FOR_BACKUPS);
            assertThat(k.retireAt()).isAfter(clock.instant().plus(Duration.ofDays(34)));
        });
        // the data key is now under hub-2, opens the same file, and hub-1 no longer opens it
        byte[] wrapped = bytes("select wrapped_key from referral.case_file_key where referral_id = '" + referral
                + "' and hub_key_id = 'hub-2'");
        SecretKey again = Envelope.unwrap(hub2, wrapped, HubKeyRing.dataKeyAssociatedData(referral, "hub-2"));
        byte[] sealed = bytes("select sealed from referral.case_file where referral_id = '" + referral + "'");
        assertThat(Envelope.open(again, sealed, ("tandem-case-file:" + referral).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(file);
        assertThatThrownBy(() -> Envelope.unwrap(hub1, wrapped, HubKeyRing.dataKeyAssociatedData(referral, "hub-1")))
                .isInstanceOf(RuntimeException.class);
        assertThat(backupsPastPeriod()).isZero();

        // the backups that may hold hub-1's wrapped keys expire after tandem.retention.backups (P35D)
        clock.advance(Duration.ofDays(36));
        assertThat(backupsPastPeriod())
                .as("an old hub key that should have been retired")
                .isEqualTo(1);
        HubKeyRotation.Report later = rotation.run(100);
        assertThat(later.rewrapped()).isZero();
        assertThat(later.oldKeys())
                .singleElement()
                .satisfies(k -> assertThat(k.state()).isEqualTo(HubKeyRotation.State.RETIRED));
        assertThat(backupsPastPeriod()).isZero();
    }

    @Test
    void wrong_arguments_are_refused_with_exit_64() {
        assertThat(org.tandem.referral.ReferralMain.batchSize("rewrap-hub-keys"))
                .isEqualTo(100);
        assertThat(org.tandem.referral.ReferralMain.batchSize("rewrap-hub-keys", "--batch-size=7"))
                .isEqualTo(7);
        for (List<String> wrong : List.of(
                List.of("rewrap"),
                List.of("rewrap-hub-keys", "--batch-size=0"),
                List.of("rewrap-hub-keys", "--batch-size=x"),
                List.of("rewrap-hub-keys", "--all"))) {
            assertThatThrownBy(() -> org.tandem.referral.ReferralMain.batchSize(wrong.toArray(String[]::new)))
                    .as(String.join(" ", wrong))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    static long backupsPastPeriod() {
        Long past = given().auth()
                .oauth2(network.realm.coordinatorToken())
                .when()
                .get("/api/v1/retention/report")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("kinds.find { it.kind == 'backups' }.pastPeriod");
        return past;
    }

    static byte[] bytes(String sql) throws SQLException {
        try (Connection c = RetentionApiTest.connect();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getBytes(1);
        }
    }
}
