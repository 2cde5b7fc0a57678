package org.tandem.notification.application;

/** An open live alert feed, holding one of its owner's slots until it is closed; closing twice does nothing more. */
public final class FeedSubscription implements AutoCloseable {

    private final Runnable close;

    public FeedSubscription(Runnable close) {
        this.close = close;
    }

    @Override
    public void close() {
        close.run();
    }
}
