package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.tandem.notification.secrets.KeyEncryptionKeys;
import org.tandem.notification.secrets.SecretEnvelope;
import org.tandem.notification.secrets.WebhookSecrets;

/**
 * Issue 12: webhook secrets, previous secrets and Ed25519 private keys are sealed under the key-encryption
 * key ({@link SecretEnvelope}); no plaintext column is left behind. SQL cannot do it (the key lives only in
 * configuration), so this migration is Java: it adds the sealed columns, seals every existing row's secrets
 * with the current key (read from configuration only when there is a row to seal), drops the plaintext
 * columns, removes {@code secret} from stored idempotent answers, and rewrites both tables so that the
 * plaintext does not linger in dead row versions. Backups and WAL from before still hold it: see
 * docs/security.md, "Secrets at rest".
 */
public class V12_3__SealWebhookSecrets extends BaseJavaMigration {

    private final Supplier<SecretEnvelope> envelopes;

    /** Flyway's: the key-encryption keys come from configuration. */
    public V12_3__SealWebhookSecrets() {
        this(() -> new SecretEnvelope(KeyEncryptionKeys.parse(
                ConfigProvider.getConfig().getValue(KeyEncryptionKeys.PROPERTY, String.class))));
    }

    /** With the envelope to seal with, read only when there is a row to seal. */
    public V12_3__SealWebhookSecrets(Supplier<SecretEnvelope> envelopes) {
        this.envelopes = envelopes;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("""
                    alter table webhook_endpoint
                        add column secret_sealed              text,
                        add column previous_secret_sealed     text,
                        add column ed25519_private_key_sealed text""");
        }
        SecretEnvelope envelope = null;
        try (Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(
                        "select id, secret, previous_secret, ed25519_private_key from webhook_endpoint");
                PreparedStatement update = c.prepareStatement("""
                        update webhook_endpoint set secret_sealed = ?, previous_secret_sealed = ?, ed25519_private_key_sealed = ?,
                            secret = '', previous_secret = null, ed25519_private_key = null
                        where id = ?""")) {
            while (rows.next()) {
                if (envelope == null) {
                    envelope = envelopes.get();
                }
                UUID id = rows.getObject(1, UUID.class);
                for (int i = 0; i < WebhookSecrets.COLUMNS.size(); i++) {
                    update.setString(
                            i + 1,
                            envelope.seal(
                                    rows.getString(i + 2), WebhookSecrets.context(WebhookSecrets.COLUMNS.get(i), id)));
                }
                update.setObject(4, id);
                update.addBatch();
            }
            update.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("""
                    alter table webhook_endpoint
                        drop column secret,
                        drop column previous_secret,
                        drop column ed25519_private_key""");
            s.execute("""
                    alter table webhook_endpoint
                        alter column secret_sealed set not null,
                        add constraint webhook_endpoint_secret_sealed check (secret_sealed like 'kek1.%'),
                        add constraint webhook_endpoint_previous_secret_sealed check (previous_secret_sealed like 'kek1.%'),
                        add constraint webhook_endpoint_ed25519_private_key_sealed check (ed25519_private_key_sealed like 'kek1.%')""");
            // A column type change with an expression rewrites the table: only live rows, without the dropped columns.
            s.execute("alter table webhook_endpoint alter column secret_sealed type text using secret_sealed || ''");
            int scrubbed = s.executeUpdate("""
                    update idempotency_record set body = (body::jsonb - 'secret')::text
                    where body is not null and (body::jsonb -> 'secret') is not null""");
            if (scrubbed > 0) {
                s.execute("alter table idempotency_record alter column body type text using body || ''");
            }
        }
    }
}
