/**
 * The smtp-probe API: build a probe with {@link dev.smtpprobe.SmtpProbe}, run it, read the
 * {@link dev.smtpprobe.ProbeResult}.
 *
 * <p>Nothing is null unless marked {@code @Nullable} (JSpecify {@code @NullMarked}): an accessor that may return
 * null, or a parameter that accepts it, says so in its type.
 */
@NullMarked
package dev.smtpprobe;

import org.jspecify.annotations.NullMarked;
