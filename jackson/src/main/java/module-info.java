/**
 * smtp-probe's JSON contract as a Jackson module: {@link dev.smtpprobe.jackson.SmtpProbeModule} and
 * {@link dev.smtpprobe.jackson.JsonLines}. The schema is the resource
 * {@code dev/smtpprobe/jackson/result.schema.json}.
 */
module dev.smtpprobe.jackson {
    requires transitive dev.smtpprobe.core;
    requires transitive com.fasterxml.jackson.databind;

    exports dev.smtpprobe.jackson;

    // The schema file, readable by Class.getResourceAsStream from other modules.
    opens dev.smtpprobe.jackson;
}
