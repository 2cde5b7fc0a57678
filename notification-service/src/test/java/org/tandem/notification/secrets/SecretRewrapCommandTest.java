package org.tandem.notification.secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.tandem.notification.NotificationMain;
import org.tandem.notification.support.Database;
import org.tandem.testing.TandemInfraResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code notification-service rewrap-secrets} as an operator runs it after putting a new key-encryption key
 * first: it re-wraps what is under the old key, reports, and exits 0 when nothing remains under an older key
 * (that a second run changes nothing is SecretRewrapTest's).
 */
@QuarkusMainTest
@TestProfile(SecretRewrapTest.RotatedKey.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class SecretRewrapCommandTest {

    @AfterAll
    static void backUnderTheTestKey() throws Exception {
        Database.reseal(
                null,
                SecretRewrapTest.envelope(SecretRewrapTest.OLD + "," + SecretRewrapTest.NEW),
                SecretRewrapTest.envelope(SecretRewrapTest.OLD));
    }

    /** A disabled network endpoint as the deployment before the rotation wrote it: sealed under the old key. */
    static void insertUnderOldKey(UUID id, String secret) throws Exception {
        try (Connection c = Database.tandem();
                PreparedStatement p = c.prepareStatement("""
                insert into notification.webhook_endpoint (id, organisation_id, url, event_types, secret_sealed, enabled, created_at,
                    created_by, updated_at, version, scope)
                values (?, null, 'https://hooks.example.org/rewrap', '{referral.escalated}', ?, false, ?, 'test', ?, 0, 'NETWORK')""")) {
            p.setObject(1, id);
            p.setString(
                    2,
                    SecretRewrapTest.envelope(SecretRewrapTest.OLD)
                            .seal(secret, WebhookSecrets.context(WebhookSecrets.SECRET, id)));
            p.setObject(3, OffsetDateTime.now());
            p.setObject(4, OffsetDateTime.now());
            p.executeUpdate();
        }
    }

    @Test
    void rewrap_secrets_rewraps_what_is_under_the_old_key_and_reports(QuarkusMainLauncher launcher) throws Exception {
        // the first start migrates the schema if no test did before, and moves what other tests left under the old key
        LaunchResult first = launcher.launch(NotificationMain.REWRAP);
        assertThat(first.exitCode())
                .as(first.getOutput() + first.getErrorOutput())
                .isZero();
        UUID id = UUID.randomUUID();
        String secret = SecretsAtRestTest.newSecret();
        insertUnderOldKey(id, secret);
        assertThat(Database.sealed(id).get(0)).startsWith("kek1.dev-1.");

        LaunchResult run = launcher.launch(NotificationMain.REWRAP, "--batch-size=1");
        assertThat(run.exitCode()).as(run.getOutput() + run.getErrorOutput()).isZero();
        assertThat(run.getOutput())
                .containsPattern(
                        "re-wrapped [1-9][0-9]* secrets of [1-9][0-9]* webhook endpoints under key-encryption key 'rot-2'")
                .contains("0 remain under older keys");
        String sealed = Database.sealed(id).get(0);
        assertThat(sealed).startsWith("kek1.rot-2.");
        assertThat(SecretRewrapTest.envelope(SecretRewrapTest.NEW)
                        .open(sealed, WebhookSecrets.context(WebhookSecrets.SECRET, id)))
                .isEqualTo(secret);
    }
}
