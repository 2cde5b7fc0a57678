package org.tandem.referral.config;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code tandem.case-files.*}: limits of case files and the hub keys that wrap their data keys. */
@ConfigMapping(prefix = "tandem.case-files")
public interface CaseFileConfig {

    /** The largest case file (the compact JWE) the hub accepts, in bytes. */
    @WithDefault("8388608")
    int maxBytes();

    /**
     * Hub keys by id, each 32 bytes in base64. Several may exist during a rotation: data keys wrapped with
     * an older one still unwrap, new ones are wrapped with {@link #currentHubKey()}.
     */
    Map<String, String> hubKeys();

    /** The id of the hub key that wraps new data keys. */
    String currentHubKey();
}
