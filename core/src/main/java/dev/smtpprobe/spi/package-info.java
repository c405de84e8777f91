/**
 * The transport SPI: a {@link dev.smtpprobe.spi.Transport} is a byte pipe that core's dialogue drives; the
 * default one is found with {@link java.util.ServiceLoader}.
 *
 * <p>Nothing is null unless marked {@code @Nullable} (JSpecify {@code @NullMarked}).
 */
@NullMarked
package dev.smtpprobe.spi;

import org.jspecify.annotations.NullMarked;
