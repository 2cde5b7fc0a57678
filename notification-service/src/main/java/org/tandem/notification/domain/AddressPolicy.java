package org.tandem.notification.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which IP addresses a webhook may connect to (SSRF protection). Refused: loopback, "this host"
 * (0.0.0.0/8, ::), private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT (100.64/10),
 * link-local (169.254/16 with the cloud metadata address, fe80::/10), site-local (fec0::/10), IETF protocol
 * and benchmark ranges, documentation and reserved ranges, multicast and broadcast; and the IPv6 forms
 * that embed an IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32),
 * judged by the address they embed. Loopback alone can be allowed, for local development and tests.
 */
public final class AddressPolicy {

    private final boolean allowLoopback;

    public AddressPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    /** Why the address is refused, or empty when a webhook may go there. */
    public Optional<String> refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Optional<Inet4Address> embedded = embeddedIpv4(b);
            if (embedded.isPresent()) {
                return refusal(embedded.get());
            }
            if (v6.isLoopbackAddress()) {
                return allowLoopback ? Optional.empty() : Optional.of("loopback");
            }
            if (v6.isAnyLocalAddress()) {
                return Optional.of("unspecified address");
            }
            if (v6.isLinkLocalAddress() || v6.isSiteLocalAddress()) {
                return Optional.of("link-local or site-local address");
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Optional.of("private (unique local) address"); // fc00::/7, includes fd00:ec2::254
            }
            if (v6.isMulticastAddress()) {
                return Optional.of("multicast address");
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return Optional.of("documentation address"); // 2001:db8::/32
            }
            if ((b[0] & 0xe0) != 0x20) {
                return Optional.of("not a global unicast address"); // only 2000::/3 is routed publicly
            }
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 127) {
            return allowLoopback ? Optional.empty() : Optional.of("loopback");
        }
        if (a0 == 0) {
            return Optional.of("unspecified address");
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
            return Optional.of("private address");
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return Optional.of("shared (carrier-grade NAT) address");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("link-local or metadata address");
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return Optional.of("IETF protocol or documentation address");
        }
        if ((a0 == 198 && (a1 == 18 || a1 == 19))
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return Optional.of("benchmark or documentation address");
        }
        if (a0 == 192 && a1 == 88 && a2 == 99) {
            return Optional.of("6to4 relay address");
        }
        if (a0 >= 224) {
            return Optional.of("multicast, reserved or broadcast address");
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped, -compatible, NAT64, 6to4 or Teredo IPv6 address. */
    static Optional<Inet4Address> embeddedIpv4(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        try {
            if (firstTenZero
                    && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff)
                            || (b[10] == 0 && b[11] == 0 && !allZeroOrOne(b)))) {
                return Optional.of(v4(b[12], b[13], b[14], b[15])); // ::ffff:a.b.c.d and ::a.b.c.d
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return Optional.of(v4(b[12], b[13], b[14], b[15])); // 64:ff9b::/96 (NAT64)
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return Optional.of(v4(b[2], b[3], b[4], b[5])); // 2002:aabb:ccdd::/48 (6to4)
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
                return Optional.of(v4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15])); // Teredo client
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }

    private static boolean allZeroOrOne(byte[] b) {
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 0 || b[15] == 1; // :: and ::1 are not IPv4-compatible addresses
    }

    private static Inet4Address v4(byte a, byte b, byte c, byte d) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d});
    }
}
