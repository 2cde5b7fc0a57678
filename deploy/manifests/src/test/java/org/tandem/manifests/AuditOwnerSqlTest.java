package org.tandem.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service's audit log lives in a schema owned by a role of its own, {@code <service>_audit} (docs/privacy.md,
 * "Audit trust model"). The local stack runs {@code audit-owner.sql} itself; on Kubernetes, CloudNativePG runs one
 * copy per service after the cluster's creation, and docker-compose's PostgreSQL runs the same file at its first
 * start. This keeps the Kubernetes copies identical to the file the local stack runs, and both installations
 * creating the owner roles. After a change of audit-owner.sql: {@code ./tandem mvn -B -pl deploy/manifests -am test
 * -Dtest=AuditOwnerSqlTest -Dtandem.manifests.write-audit-sql=true} rewrites the copies.
 */
class AuditOwnerSqlTest {

    static final Path SOURCE =
            Schemas.ROOT.resolve("deploy/devstack/src/main/resources/org/tandem/devstack/audit-owner.sql");
    static final Path COPIES = Schemas.KUBERNETES.resolve("postgres-audit");
    static final List<String> SERVICES = List.of("registry", "referral", "notification");

    static String expected(String service) throws IOException {
        return Files.readString(SOURCE, StandardCharsets.UTF_8)
                .replace("${schema}", service + "_audit")
                .replace("${owner}", service + "_audit")
                .replace("${service}", service + "_svc");
    }

    @Test
    void kubernetesRunsTheAuditOwnerSqlOfTheLocalStackForEveryService() throws IOException {
        if (Boolean.getBoolean("tandem.manifests.write-audit-sql")) {
            Files.createDirectories(COPIES);
            for (String s : SERVICES) {
                Files.writeString(COPIES.resolve(s + "_audit.sql"), expected(s), StandardCharsets.UTF_8);
            }
        }
        for (String s : SERVICES) {
            assertThat(Files.readString(COPIES.resolve(s + "_audit.sql"), StandardCharsets.UTF_8))
                    .as("deploy/kubernetes/postgres-audit/" + s
                            + "_audit.sql; rewrite with -Dtandem.manifests.write-audit-sql=true")
                    .isEqualTo(expected(s));
        }
        String kustomization = Files.readString(Schemas.KUBERNETES.resolve("kustomization.yaml"));
        String postgres = Files.readString(Schemas.KUBERNETES.resolve("postgres.yaml"));
        List<String> refs = new ArrayList<>();
        for (String s : SERVICES) {
            assertThat(kustomization).contains("postgres-audit/" + s + "_audit.sql");
            refs.add("{name: tandem-postgres-audit, key: " + s + "_audit.sql}");
            assertThat(postgres)
                    .as("the owner role is a managed role without login")
                    .contains("{name: " + s + "_audit, ensure: present, login: false");
        }
        assertThat(postgres).contains(refs);
    }

    @Test
    void composeRunsTheSameFileForEveryService() throws IOException {
        String init = Files.readString(Schemas.ROOT.resolve("deploy/compose/postgres-init.sh"));
        String compose = Files.readString(Schemas.ROOT.resolve("deploy/compose/docker-compose.yml"));
        assertThat(compose)
                .contains(
                        "../devstack/src/main/resources/org/tandem/devstack/audit-owner.sql:/tandem/audit-owner.sql:ro");
        assertThat(init).contains("for service in registry referral notification");
        assertThat(init).contains("/tandem/audit-owner.sql");
    }
}
