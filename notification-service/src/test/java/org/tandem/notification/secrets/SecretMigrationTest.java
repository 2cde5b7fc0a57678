package org.tandem.notification.secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import db.migration.V12_3__SealWebhookSecrets;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.tandem.devstack.Endpoints;
import org.tandem.notification.delivery.WebhookSigner;
import org.tandem.notification.support.Database;
import org.tandem.testing.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migration of an existing database (issue 12): plaintext secrets, previous secrets and private keys
 * become sealed values, the plaintext columns are gone, stored idempotent answers lose their secret, and the
 * table accepts nothing but sealed values from then on. It runs on a schema of its own, migrated by Flyway
 * to the version before, on the real PostgreSQL.
 */
class SecretMigrationTest {

    static final SecretEnvelope ENVELOPE =
            new SecretEnvelope(KeyEncryptionKeys.parse("dev-1:dGFuZGVtLWRldmVsb3BtZW50LWtlay0wMDAwMDAwMDA="));

    @Test
    void existing_plaintext_secrets_are_sealed_and_no_plaintext_column_is_left() throws Exception {
        Endpoints e = TestInfrastructure.endpoints();
        String schema =
                "migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(e.jdbcUrl());
        ds.setUser(e.superuser());
        ds.setPassword(e.superuserPassword());
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .locations("classpath:db/platform", "classpath:db/migration")
                    .outOfOrder(true)
                    .target("3")
                    .load()
                    .migrate();

            UUID full = UUID.randomUUID();
            UUID plain = UUID.randomUUID();
            String secret = WebhookSigner.newSecret();
            String previous = WebhookSigner.newSecret();
            String[] pair = WebhookSigner.newEd25519KeyPair();
            String other = WebhookSigner.newSecret();
            try (Connection c = connection(ds, schema)) {
                insert(c, full, secret, previous, pair[0], pair[1]);
                insert(c, plain, other, null, null, null);
                try (PreparedStatement p = c.prepareStatement("""
                        insert into idempotency_record (scope, idempotency_key, request_hash, status, body, created_at)
                        values ('org', ?, 'h', 201, ?, now())""")) {
                    p.setString(1, "k-" + full);
                    p.setString(2, "{\"id\":\"" + full + "\",\"secret\":\"" + secret + "\",\"enabled\":true}");
                    p.executeUpdate();
                }

                c.setAutoCommit(false);
                new V12_3__SealWebhookSecrets(() -> ENVELOPE).migrate(context(c));
                c.commit();
                c.setAutoCommit(true);

                assertThat(columns(c, schema))
                        .contains("secret_sealed", "previous_secret_sealed", "ed25519_private_key_sealed")
                        .doesNotContain("secret", "previous_secret", "ed25519_private_key");
                List<String> sealed = sealed(c, full);
                assertThat(sealed).allSatisfy(v -> assertThat(v).startsWith("kek1.dev-1."));
                assertThat(ENVELOPE.open(sealed.get(0), WebhookSecrets.context(WebhookSecrets.SECRET, full)))
                        .isEqualTo(secret);
                assertThat(ENVELOPE.open(sealed.get(1), WebhookSecrets.context(WebhookSecrets.PREVIOUS_SECRET, full)))
                        .isEqualTo(previous);
                assertThat(ENVELOPE.open(
                                sealed.get(2), WebhookSecrets.context(WebhookSecrets.ED25519_PRIVATE_KEY, full)))
                        .isEqualTo(pair[0]);
                List<String> onlySecret = sealed(c, plain);
                assertThat(ENVELOPE.open(onlySecret.get(0), WebhookSecrets.context(WebhookSecrets.SECRET, plain)))
                        .isEqualTo(other);
                assertThat(onlySecret.get(1)).isNull();
                assertThat(onlySecret.get(2)).isNull();

                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("select body from idempotency_record")) {
                    r.next();
                    assertThat(r.getString(1)).doesNotContain(secret).contains(full.toString());
                }
                // from now on the table takes sealed values only
                try (PreparedStatement p =
                        c.prepareStatement("update webhook_endpoint set secret_sealed = ? where id = ?")) {
                    p.setString(1, secret);
                    p.setObject(2, plain);
                    assertThatThrownBy(p::executeUpdate)
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("webhook_endpoint_secret_sealed");
                }
            }
        } finally {
            try (Connection c = Database.tandem();
                    Statement s = c.createStatement()) {
                s.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    static Connection connection(DataSource ds, String schema) throws SQLException {
        Connection c = ds.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("set search_path to " + schema);
        }
        return c;
    }

    static void insert(Connection c, UUID id, String secret, String previous, String privateKey, String publicKey)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                insert into webhook_endpoint (id, organisation_id, url, event_types, secret, enabled, created_at, created_by, updated_at,
                    version, previous_secret, previous_secret_until, ed25519_private_key, ed25519_public_key)
                values (?, ?, 'https://hooks.example.org/m', '{*}', ?, true, ?, 'test', ?, 0, ?, ?, ?, ?)""")) {
            p.setObject(1, id);
            p.setObject(2, UUID.randomUUID());
            p.setString(3, secret);
            p.setObject(4, OffsetDateTime.now());
            p.setObject(5, OffsetDateTime.now());
            p.setString(6, previous);
            p.setObject(7, previous == null ? null : OffsetDateTime.now().plusHours(1));
            p.setString(8, privateKey);
            p.setString(9, publicKey);
            p.executeUpdate();
        }
    }

    static List<String> columns(Connection c, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("""
                select column_name from information_schema.columns where table_schema = ? and table_name = 'webhook_endpoint'""")) {
            p.setString(1, schema);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
        }
        return names;
    }

    static List<String> sealed(Connection c, UUID id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "select secret_sealed, previous_secret_sealed, ed25519_private_key_sealed from webhook_endpoint where id = ?")) {
            p.setObject(1, id);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                List<String> values = new ArrayList<>();
                values.add(r.getString(1));
                values.add(r.getString(2));
                values.add(r.getString(3));
                return values;
            }
        }
    }

    static Context context(Connection c) {
        return new Context() {
            @Override
            public Configuration getConfiguration() {
                return null;
            }

            @Override
            public Connection getConnection() {
                return c;
            }
        };
    }
}
