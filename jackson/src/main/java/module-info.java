/**
 * smtp-probe's JSON contract as a Jackson module: {@link dev.smtpprobe.jackson.SmtpProbeModule} and
 * {@link dev.smtpprobe.jackson.JsonLines}. The schema is the resource
 * {@code dev/smtpprobe/jackson/result.schema.json}, read with
 * {@link dev.smtpprobe.jackson.SmtpProbeModule#schema()}.
 */
module dev.smtpprobe.jackson {
    requires transitive dev.smtpprobe;
    requires transitive com.fasterxml.jackson.databind;

    exports dev.smtpprobe.jackson;
}
