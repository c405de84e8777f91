/**
 * The Netty transport, {@link dev.smtpprobe.netty.NettyTransport}.
 *
 * <p>Nothing is null unless marked {@code @Nullable} (JSpecify {@code @NullMarked}).
 */
@NullMarked
package dev.smtpprobe.netty;

import org.jspecify.annotations.NullMarked;
