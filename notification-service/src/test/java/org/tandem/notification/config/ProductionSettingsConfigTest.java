package org.tandem.notification.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.tandem.platform.config.ProductionSetting;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * notification-service's own production settings (SMTP host, key-encryption keys): listed for the check,
 * without a default in production, and with the development values of {@link ProductionSetting} in dev and
 * test only (docs/security.md, "Production refuses development settings").
 */
class ProductionSettingsConfigTest {

    @Test
    void smtp_host_and_key_encryption_keys_have_development_values_only_in_dev_and_test() throws IOException {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        assertThat(Arrays.stream(p.getProperty("tandem.production.service-settings")
                                .split(","))
                        .map(ProductionSetting::named))
                .containsExactlyInAnyOrder(ProductionSetting.SMTP_HOST, ProductionSetting.KEY_ENCRYPTION_KEYS);
        ProductionSetting smtp = ProductionSetting.SMTP_HOST;
        assertThat(p.getProperty(smtp.property())).isEqualTo("${TANDEM_SMTP_HOST:}");
        ProductionSetting kek = ProductionSetting.KEY_ENCRYPTION_KEYS;
        assertThat(p.getProperty(kek.property())).isEqualTo("${TANDEM_SECRETS_KEK}");
        for (String profile : new String[] {"%dev.", "%test."}) {
            assertThat(p.getProperty(profile + smtp.property()))
                    .isEqualTo("${TANDEM_SMTP_HOST:" + smtp.developmentValue() + "}");
            assertThat(p.getProperty(profile + kek.property())).isEqualTo(kek.developmentValue());
        }
    }
}
