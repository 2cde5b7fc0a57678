package org.tandem.devstack;

/**
 * Every port the stack uses, as an offset from the port base. Each can be overridden by the environment
 * variable {@code TANDEM_PORT_<NAME>}.
 */
public enum Port {
    POSTGRES(432),
    KAFKA(92),
    KAFKA_CONTROLLER(93),
    APICURIO(80),
    APICURIO_MANAGEMENT(81),
    KEYCLOAK(180),
    KEYCLOAK_MANAGEMENT(190),
    REGISTRY(101),
    REFERRAL(102),
    NOTIFICATION(103),
    /** the web application (static bundle and /config.json) */
    WEB(104),
    /** the local SMTP sink (GreenMail) that notification-service e-mails alerts to; started with the services */
    SMTP(25),
    /** the SMTP sink's HTTP API, to read what was sent: /api/user, /api/user/{email}/messages */
    SMTP_API(26),
    /** the local trace sink (OTLP/HTTP, like a collector's 4318) that the services export their spans to */
    TRACES(318);

    private final int offset;

    Port(int offset) {
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }

    public String envName() {
        return "TANDEM_PORT_" + name();
    }
}
