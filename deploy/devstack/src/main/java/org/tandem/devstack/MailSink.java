package org.tandem.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local SMTP sink: GreenMail standalone (from Maven Central), where notification-service e-mails its
 * alerts in the local stack. It keeps the messages in memory and shows them through its HTTP API
 * ({@code http://localhost:<SMTP_API>/api/user}, then {@code /api/user/<address>/messages}); nothing leaves
 * the machine. It starts with the services, since only they send e-mail. Tests run their own sink.
 */
final class MailSink {

    static final String NAME = "smtp-sink";

    private MailSink() {}

    static void startIfDown(StackConfig cfg) {
        if (Processes.running(cfg, NAME).isPresent()) {
            return;
        }
        int smtp = cfg.port(Port.SMTP);
        int api = cfg.port(Port.SMTP_API);
        for (int port : List.of(smtp, api)) {
            if (!Infrastructure.isFree(port)) {
                // e-mail is not essential: notification-service keeps its alert e-mails and retries them
                System.out.println(
                        "[devstack] WARNING: port " + port + " for the SMTP sink is in use by a process this state"
                                + " dir did not start, so the sink is not started. Choose other ports with --port-base /"
                                + " TANDEM_PORT_BASE or TANDEM_PORT_SMTP / TANDEM_PORT_SMTP_API.");
                return;
            }
        }
        List<String> cmd = List.of(
                Processes.javaBinary(),
                "-Xms16m",
                "-Xmx96m",
                "-XX:+UseSerialGC",
                "-Dgreenmail.smtp.hostname=127.0.0.1",
                "-Dgreenmail.smtp.port=" + smtp,
                "-Dgreenmail.api.hostname=127.0.0.1",
                "-Dgreenmail.api.port=" + api,
                "-Dgreenmail.auth.disabled",
                "-jar",
                Artifacts.file("greenmail.jar").toString());
        ProcessHandle h;
        try {
            h = Processes.launch(cfg, NAME, cmd, cfg.stateDir().resolve(NAME), Map.of());
        } catch (IOException e) {
            throw new StackException("could not start the SMTP sink: " + e, e);
        }
        try {
            Wait.until(
                    "the SMTP sink on port " + smtp, Duration.ofSeconds(60), h, cfg.logFile(NAME), () -> healthy(cfg));
        } catch (RuntimeException e) {
            stop(cfg);
            System.out.println(
                    "[devstack] WARNING: the SMTP sink did not start (" + e.getMessage() + "); e-mail waits for it");
            return;
        }
        System.out.println("[devstack] SMTP sink ready on port " + smtp + "; read the e-mails at http://localhost:"
                + api + "/api/user");
    }

    static boolean healthy(StackConfig cfg) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", cfg.port(Port.SMTP)), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void stop(StackConfig cfg) {
        Processes.stop(cfg, NAME, Duration.ofSeconds(10));
    }

    static Optional<Infrastructure.Status> status(StackConfig cfg) {
        Optional<ProcessHandle> h = Processes.running(cfg, NAME);
        if (h.isEmpty() && Processes.readPid(cfg, NAME).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Infrastructure.Status(
                NAME, h.map(ProcessHandle::pid).orElse(null), cfg.port(Port.SMTP), h.isPresent() && healthy(cfg)));
    }
}
