package org.tandem.referral.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.tandem.platform.config.ProductionSetting;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * referral-service's own production setting (the case-file hub key): listed for the check, without a
 * default in production, and with the development value of {@link ProductionSetting} in dev and test only
 * (docs/security.md, "Production refuses development settings").
 */
class ProductionSettingsConfigTest {

    @Test
    void the_hub_key_has_its_development_value_only_in_dev_and_test() throws IOException {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        ProductionSetting hub = ProductionSetting.CASE_FILE_HUB_KEY;
        assertThat(ProductionSetting.named(p.getProperty("tandem.production.service-settings")))
                .isEqualTo(hub);
        assertThat(p.getProperty(hub.property())).isEqualTo("${TANDEM_CASE_FILE_HUB_KEY:}");
        for (String profile : new String[] {"%dev.", "%test."}) {
            assertThat(p.getProperty(profile + hub.property()))
                    .isEqualTo("${TANDEM_CASE_FILE_HUB_KEY:" + hub.developmentValue() + "}");
        }
    }
}
