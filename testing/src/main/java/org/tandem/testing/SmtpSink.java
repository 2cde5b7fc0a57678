package org.tandem.testing;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A real SMTP server on loopback (GreenMail) that keeps every message it receives, so that tests read the
 * e-mails a service really sent over SMTP. It listens on the infrastructure's SMTP port
 * ({@code Endpoints.smtpPort()}, or a free port when another program holds that one), where
 * {@link TandemInfraResource} points notification-service's mailer.
 * Start it from the test ({@code SmtpSink.get()} in {@code @BeforeAll}); until it runs, the service keeps
 * its e-mails and retries.
 */
public final class SmtpSink {

    /** One e-mail as received. */
    public record Email(List<String> to, String subject, String body, String alertId) {}

    private static SmtpSink instance;

    private final GreenMail server;

    private SmtpSink(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(60_000); // a loaded CI machine starts threads slowly
        server = new GreenMail(setup);
        server.start();
    }

    /** Where the sink of this JVM listens (shared as a system property, a plain string). */
    private static final String PORT_PROPERTY = "tandem.test.smtp-port";

    /**
     * The port for this JVM's sink: the infrastructure's SMTP port when it is free, else a free one; chosen
     * once, so that the service's mailer and the sink agree.
     */
    public static synchronized int port(org.tandem.devstack.Endpoints e) {
        String chosen = System.getProperty(PORT_PROPERTY);
        if (chosen != null) {
            return Integer.parseInt(chosen);
        }
        int port = e.smtpPort();
        try (java.net.ServerSocket probe =
                new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            probe.setReuseAddress(true);
        } catch (IOException busy) {
            try (java.net.ServerSocket any =
                    new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                port = any.getLocalPort();
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        System.setProperty(PORT_PROPERTY, Integer.toString(port));
        return port;
    }

    public static synchronized SmtpSink get() {
        if (instance == null) {
            instance = new SmtpSink(port(TestInfrastructure.endpoints()));
            Runtime.getRuntime().addShutdownHook(new Thread(instance.server::stop, "stop-smtp-sink"));
        }
        return instance;
    }

    public int port() {
        return server.getSmtp().getPort();
    }

    public List<Email> received() {
        return Arrays.stream(server.getReceivedMessages()).map(SmtpSink::email).toList();
    }

    /** Waits until at least {@code count} e-mails match and returns them in arrival order. */
    public List<Email> await(Predicate<Email> match, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Email> matching = received().stream().filter(match).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "expected " + count + " matching e-mails within " + timeout + ", got " + matching.size());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Email email(Message m) {
        try {
            List<String> to =
                    Arrays.stream(m.getAllRecipients()).map(Object::toString).toList();
            Object content = m.getContent(); // decoded: quoted-printable would split long ids
            if (content instanceof Multipart parts
                    && parts.getCount() > 0
                    && parts.getBodyPart(0).getContent() instanceof String first) {
                content = first;
            }
            String body = content instanceof String text ? text : GreenMailUtil.getBody(m);
            String[] alert = m.getHeader("X-Tandem-Alert-Id");
            return new Email(to, m.getSubject(), body, alert == null ? null : alert[0]);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
