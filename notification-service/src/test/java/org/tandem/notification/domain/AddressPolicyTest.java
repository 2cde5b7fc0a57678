package org.tandem.notification.domain;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPolicyTest {

    final AddressPolicy production = new AddressPolicy(false);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.255.0.9",
                "0.0.0.0",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.0.1",
                "100.64.0.1",
                "169.254.169.254",
                "192.0.0.170",
                "198.18.0.1",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::127.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "2002:c0a8:0101::1",
                "fe80::1",
                "fec0::1",
                "fc00::1",
                "fd00:ec2::254",
                "ff02::1",
                "2001:db8::1",
                "2001:0:4136:e378:8000:63bf:80ff:fffe"
            })
    void refuses(String address) throws Exception {
        assertThat(production.refusal(InetAddress.getByName(address)))
                .as(address)
                .isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.215.14",
                "1.1.1.1",
                "172.32.0.1",
                "100.128.0.1",
                "2606:4700:4700::1111",
                "2a00:1450:4001:80b::200e"
            })
    void allows_public_addresses(String address) throws Exception {
        assertThat(production.refusal(InetAddress.getByName(address)))
                .as(address)
                .isEmpty();
    }

    @Test
    void the_development_setting_allows_loopback_only() throws Exception {
        AddressPolicy dev = new AddressPolicy(true);
        for (String a : List.of("127.0.0.1", "::1", "::ffff:127.0.0.1")) {
            assertThat(dev.refusal(InetAddress.getByName(a))).as(a).isEmpty();
        }
        for (String a : List.of("10.0.0.1", "169.254.169.254", "fd00::1")) {
            assertThat(dev.refusal(InetAddress.getByName(a))).as(a).isPresent();
        }
    }
}
