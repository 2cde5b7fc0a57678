package org.tandem.notification.support;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Replaces the platform's default clock with {@link TestClock} in every test of this module. */
@Singleton
public class TestClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return TestClock.INSTANCE;
    }
}
