package org.tandem.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar tandem-devstack.jar infra-up|up|down|status [--state-dir DIR] [--port-base N] [--fresh]}.
 * Normally called through {@code ./tandem}.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // the Kafka admin client logs every config at INFO; the CLI only wants to hear about problems
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        if (UsageText.asked(args)) {
            System.out.print(USAGE);
            System.exit(0);
        }
        try {
            System.exit(run(args));
        } catch (StackException | IllegalArgumentException e) {
            System.err.println("tandem: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The usage text, shared with ./tandem's --help (src/main/resources/org/tandem/devstack/usage.txt). */
    static final String USAGE = UsageText.of(Main.class);

    /** Parsed command line. */
    record Args(String command, Path stateDir, Integer portBase, boolean fresh, Path repo, int instances) {}

    static Args parse(String[] args, Map<String, String> env) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command given\n" + USAGE);
        }
        String command = args[0];
        if (!List.of("infra-up", "up", "down", "status").contains(command)) {
            throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
        }
        Path stateDir = null;
        Integer portBase = null;
        boolean fresh = false;
        Path repo = null;
        int instances = 1;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--fresh" -> fresh = true;
                case "--state-dir", "--port-base", "--repo", "--instances" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--state-dir" -> stateDir = Path.of(value);
                        case "--repo" -> repo = Path.of(value);
                        case "--instances" -> instances = instances(value);
                        default -> {
                            try {
                                portBase = Integer.parseInt(value);
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException("--port-base must be a number, not '" + value + "'");
                            }
                        }
                    }
                }
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
            }
        }
        if (repo == null) {
            repo = findRepoRoot();
        }
        if (stateDir == null) {
            String envDir = env.get("TANDEM_STATE_DIR");
            stateDir = envDir != null && !envDir.isBlank()
                    ? Path.of(envDir)
                    : repo.resolve(".tandem").resolve("stack");
        }
        if (portBase == null) {
            portBase = StackConfig.intEnv(env, "TANDEM_PORT_BASE", StackConfig.DEV_PORT_BASE);
        }
        if (instances > 1 && !command.equals("up")) {
            throw new IllegalArgumentException("--instances goes with up only");
        }
        return new Args(command, stateDir, portBase, fresh, repo, instances);
    }

    static int instances(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--instances must be a number 1.." + StackConfig.MAX_INSTANCES + ", not '" + value + "'");
        }
        if (n < 1 || n > StackConfig.MAX_INSTANCES) {
            throw new IllegalArgumentException("--instances must be 1.." + StackConfig.MAX_INSTANCES + ", not " + n);
        }
        return n;
    }

    static StackConfig config(Args a, Map<String, String> env) {
        return StackConfig.builder()
                .environment(env)
                .stateDir(a.stateDir())
                .portBase(a.portBase())
                .fresh(a.fresh())
                .instances(a.instances())
                .build();
    }

    static int run(String[] argv) {
        Map<String, String> env = System.getenv();
        Args a = parse(argv, env);
        StackConfig cfg = config(a, env);
        if (a.fresh() && List.of("infra-up", "up").contains(a.command())) {
            // on the command line --fresh means it: a running stack is stopped, then wiped
            Infrastructure.stop(cfg);
        }
        switch (a.command()) {
            case "infra-up" -> {
                Infrastructure infra = Infrastructure.start(cfg);
                printInfra(infra.endpoints(), cfg);
                return 0;
            }
            case "up" -> {
                return up(cfg, a.repo());
            }
            case "down" -> {
                Infrastructure.stop(cfg);
                System.out.println("Stopped everything started in " + cfg.stateDir() + ". Data stays there; ./tandem up"
                        + " --fresh starts from scratch.");
                return 0;
            }
            case "status" -> {
                return status(cfg);
            }
            default -> throw new IllegalArgumentException(USAGE);
        }
    }

    static int up(StackConfig cfg, Path repo) {
        long t0 = System.nanoTime();
        Infrastructure infra = Infrastructure.start(cfg);
        Endpoints e = infra.endpoints();
        Services services = Services.start(cfg, e, repo);
        List<DemoData.Result> demo = List.of();
        boolean registryUp = services.started().stream().anyMatch(s -> s.name().equals("registry"));
        if (registryUp) {
            demo = new DemoData(e).load();
        } else {
            System.out.println("[devstack] registry-service is not running, so no demo organisations were registered.");
        }
        System.out.println();
        System.out.println(
                "Tandem is up (" + Infrastructure.secondsSince(t0) + "). State, logs and pids: " + cfg.stateDir());
        System.out.println();
        for (Services.Service s : Services.ALL) {
            boolean started = services.started().contains(s);
            String url = "http://localhost:" + cfg.port(s.port());
            String what = s.port() == Port.WEB
                    ? "   (the web application: sign in as a demo user)"
                    : "   (API docs: " + url + "/q/swagger-ui)";
            System.out.printf("  %-22s %s%s%n", s.module(), url, started ? what : "   NOT RUNNING (no jar)");
            if (started && Services.scaled(cfg, s)) {
                System.out.printf(
                        "  %-22s round-robin over %s%n",
                        "",
                        Services.instances(cfg, s).stream()
                                .map(i -> i.processName() + " on " + i.port(cfg))
                                .toList());
            }
        }
        printInfra(e, cfg);
        if (!demo.isEmpty()) {
            System.out.println();
            System.out.println("Demo organisations:");
            for (DemoData.Result r : demo) {
                System.out.printf("  %-28s %s, %s%n", r.slug(), r.registration(), r.approval());
            }
        }
        System.out.println();
        System.out.println("Demo users (password '" + DemoData.PASSWORD + "'):");
        List<String> line = new ArrayList<>();
        DemoData.users().forEach((u, role) -> line.add(u + " (" + role + ")"));
        for (String l : line) {
            System.out.println("  " + l);
        }
        System.out.println("  integration clients: integration-<slug> with secret <slug>-integration-secret");
        System.out.println();
        System.out.println("Get a token and call the API:");
        System.out.println("  TOKEN=$(curl -s " + e.tokenEndpoint() + " \\");
        System.out.println(
                "      -d grant_type=password -d client_id=tandem-dev -d username=caseworker.solwodi -d password="
                        + DemoData.PASSWORD + " | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
        System.out.println(
                "  curl -H \"Authorization: Bearer $TOKEN\" " + e.serviceUrl("registry") + "/api/v1/organisations");
        System.out.println();
        System.out.println("Stop everything with ./tandem down");
        return 0;
    }

    static void printInfra(Endpoints e, StackConfig cfg) {
        System.out.println();
        System.out.printf(
                "  %-22s %s  (users registry_svc, referral_svc, notification_svc; password = user)%n",
                "PostgreSQL", e.jdbcUrl());
        System.out.printf(
                "  %-22s %s  (%s, %s; one user per service; client settings in %s)%n",
                "Kafka",
                e.kafkaBootstrap(),
                KafkaSecurity.PROTOCOL,
                KafkaSecurity.MECHANISM,
                cfg.stateDir()
                        .toAbsolutePath()
                        .resolve(KafkaSecurity.DIR)
                        .resolve("client-" + KafkaSecurity.ADMIN + ".properties"));
        System.out.printf(
                "  %-22s %s  (UI-less; health on port %d)%n",
                "Apicurio Registry", e.schemaRegistryUrl(), cfg.port(Port.APICURIO_MANAGEMENT));
        System.out.printf("  %-22s %s/admin  (admin / admin; realm %s)%n", "Keycloak", e.keycloakUrl(), e.realm());
        System.out.printf("  %-22s %s%n", "OIDC issuer", e.oidcIssuer());
        System.out.printf("  %-22s %s%n", "Endpoints file", cfg.endpointsFile());
        System.out.printf("  %-22s %s%n", "Logs", cfg.logDir());
    }

    static int status(StackConfig cfg) {
        List<Infrastructure.Status> all = Infrastructure.status(cfg);
        System.out.println("State dir " + cfg.stateDir());
        boolean allHealthy = true;
        for (Infrastructure.Status s : all) {
            String state = !s.running() ? "stopped" : s.healthy() ? "healthy" : "running, NOT healthy";
            allHealthy &= s.running() && s.healthy();
            System.out.printf(
                    "  %-22s %-22s port %-6d %s%n", s.name(), state, s.port(), s.pid() != null ? "pid " + s.pid() : "");
        }
        return allHealthy ? 0 : 3;
    }

    /** The repository root: the directory that holds deploy/devstack, found from this jar's location. */
    static Path findRepoRoot() {
        try {
            Path p = Path.of(Main.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
            for (Path d = p; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("deploy/devstack/pom.xml"))) {
                    return d;
                }
            }
        } catch (Exception ignored) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
