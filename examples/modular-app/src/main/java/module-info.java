/**
 * A modular application using smtp-probe: it requires the API module only; the transport
 * ({@code dev.smtpprobe.netty}, a service provider) is bound by the module system from the module path.
 */
module dev.smtpprobe.example.modular {
    requires dev.smtpprobe;
}
