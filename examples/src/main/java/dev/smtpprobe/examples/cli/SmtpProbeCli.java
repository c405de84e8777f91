package dev.smtpprobe.examples.cli;

import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-probe}: tells why mail cannot be sent from here. Probes one SMTP server (resolve, connect, banner,
 * EHLO, STARTTLS) and prints the verdict, the layer that failed, the evidence and the next action; the exit code
 * names the layer ({@link ExitCode}).
 *
 * <pre>
 * java -jar smtp-probe.jar --demo
 * java -jar smtp-probe.jar smtp.example.net -p 587 --tls require-starttls
 * java -jar smtp-probe.jar smtp.example.net:465 --json
 * </pre>
 *
 * <p>Bad input never starts a probe: it prints one line on stderr and exits 64.
 */
@Command(name = "smtp-probe",
        mixinStandardHelpOptions = true,
        versionProvider = SmtpProbeCli.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Tells why mail cannot be sent: probes an SMTP server and names the layer that fails.",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Resolves HOST, connects, reads the banner, speaks EHLO and STARTTLS (then AUTH and MAIL FROM/RCPT TO when "
                    + "asked), and prints one verdict line (DNS, TCP, TLS, SMTP or AUTH layer), the evidence, and what "
                    + "to do next. No mail is sent.",
            "",
            "Examples:",
            "  smtp-probe --demo          (every diagnosis, on loopback)",
            "  smtp-probe smtp.example.net -p 587 --tls require-starttls",
            "  smtp-probe smtp.example.net:465 --json",
            "  smtp-probe smtp.example.net:587 --auth alice  (password: SMTP_PROBE_PASSWORD)",
            "  smtp-probe smtp.example.net:587 --proxy socks5://bob@proxy.corp.example:1080"
                    + "  (password: SMTP_PROBE_PROXY_PASSWORD)",
            "  smtp-probe --mx example.org --from me@example.net --rcpt bob@example.org",
            "  smtp-probe --mail-properties mail.properties   (lint the app's Jakarta Mail config, then probe as it)",
            "  smtp-probe --spring-config application.yml"
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n")
public final class SmtpProbeCli implements Callable<Integer> {

    /** The environment variable {@code --auth} reads the password from. */
    static final String PASSWORD_VARIABLE = "SMTP_PROBE_PASSWORD";

    /** {@code host:port}, {@code [v6]:port} or {@code [v6]}; a bare IPv6 address has several colons and no port. */
    private static final Pattern HOST_PORT = Pattern.compile("^(?:\\[([^\\]]+)\\]|([^:\\[\\]]+))(?::([^:]*))?$");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST",
            description = "The SMTP server: a host name, an IP address, or HOST:PORT ([IPv6]:PORT).")
    private String host;

    @Option(names = "--mx", paramLabel = "DOMAIN",
            description = "Probe a mail domain like an MTA: its MX hosts in preference order (or the domain itself "
                    + "without MX), each address, until one works.")
    private String mxDomain;

    @Option(names = "--batch", paramLabel = "FILE",
            description = "Probe every mail domain (or [IP]) of FILE, one per line (# comments), through its MX, "
                    + "concurrently; then say whether the failures point at this side or at some recipients. At most 1 MiB.")
    private Path batchFile;

    @Option(names = "--mail-properties", paramLabel = "FILE",
            description = "Probe the way an application configured with these Jakarta Mail properties (mail.smtp.*, "
                    + "a .properties file) sends: its host, port, TLS mode, trust and timeouts; its configuration "
                    + "findings are printed first. Options given too override the file's values.")
    private Path mailPropertiesFile;

    @Option(names = "--spring-config", paramLabel = "FILE",
            description = "Like --mail-properties, from the spring.mail.* part of an application.yml or "
                    + "application.properties (spring.mail.password is never read: see --auth).")
    private Path springConfigFile;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", converter = Converters.Port.class,
            description = "TCP port (default 25). 587 = submission with STARTTLS, 465 = implicit TLS.")
    private Integer port;

    @Option(names = "--ports", paramLabel = "PORTS", split = ",", converter = Converters.Port.class,
            description = "Sweep several ports, e.g. 25,587,465,2525, each in its usual TLS mode; shows when port 25 "
                    + "is blocked while the others work.")
    private List<Integer> ports;

    @Option(names = "--resolver", paramLabel = "IP[:PORT]",
            description = "Ask this DNS resolver instead of the system's (repeatable; [IPv6]:PORT for a port).")
    private List<String> resolvers;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "With --batch: probes in flight at once (default 8).")
    private Integer concurrency;

    @Option(names = "--tls", paramLabel = "MODE", converter = Converters.Tls.class,
            description = "none, starttls (upgrade when offered), require-starttls, or implicit "
                    + "(default: implicit for 465, starttls otherwise).")
    private TlsMode tls;

    @Option(names = "--timeout", paramLabel = "TIME", converter = Converters.Timeout.class,
            description = "Limit for the connect, the banner and each reply: 500ms, 5s, 1m "
                    + "(default: 10s connect, 15s banner and replies, 60s in all). The whole probe gets six times it.")
    private Duration timeout;

    @Option(names = "--ehlo", paramLabel = "NAME", description = "The name to send with EHLO (default: this host's name).")
    private String ehloName;

    @Option(names = "--known-replies", paramLabel = "FILE",
            description = "Add your own known replies (the built-in table's format, at most 1 MiB): a rejection that "
                    + "matches one is explained with its cause, who fixes it and how. Yours win over the built-in ones.")
    private Path knownReplies;

    @Option(names = "--greylist-retry", paramLabel = "TIME", converter = Converters.Timeout.class,
            description = "When greylisting defers the probe, retry once after the delay the server names (at most "
                    + "TIME), within the deadline (raise it with --timeout): 'deliverable after greylisting'.")
    private Duration greylistRetry;

    @Option(names = "--source", paramLabel = "IP", description = "The local address to connect from.")
    private String sourceAddress;

    @Option(names = "--proxy", paramLabel = "URI",
            description = "Connect through this proxy: socks5://[USER@]HOST:PORT, socks4a://[USER@]HOST:PORT or "
                    + "http://[USER@]HOST:PORT (HTTP CONNECT). The password of USER comes from the environment variable "
                    + ProxyOption.PASSWORD_VARIABLE + ", or is asked on the terminal; never on the command line.")
    private String proxyUri;

    @Option(names = "--auth", paramLabel = "USER",
            description = "Authenticate as USER after EHLO/STARTTLS. The password comes from the environment variable "
                    + PASSWORD_VARIABLE + ", or is asked on the terminal; never on the command line.")
    private String authUser;

    @Option(names = "--from", paramLabel = "ADDR",
            description = "With --rcpt: the envelope sender for MAIL FROM (use \"\" for the null sender <>).")
    private String from;

    @Option(names = "--rcpt", paramLabel = "ADDR",
            description = "Check that the server takes mail for ADDR (repeatable): MAIL FROM, RCPT TO, then RSET; "
                    + "never DATA, no mail is sent.")
    private List<String> recipients;

    @Option(names = "--cafile", paramLabel = "PEM",
            description = "Trust the CA certificates in this PEM file (at most 4 MiB) instead of the JDK's trust store.")
    private Path caFile;

    @Option(names = "--tls-name", paramLabel = "NAME",
            description = "Verify the server's certificate as NAME, and send NAME in SNI, whatever host or address "
                    + "the probe connects to (like openssl s_client -verify_hostname).")
    private String tlsName;

    @Option(names = "--show-certs", description = "Print the certificate chain the server presented, in PEM, leaf "
            + "first (the JSON of --json always carries it).")
    private boolean showCerts;

    @Option(names = "--min-tls", paramLabel = "VERSION",
            description = "The lowest TLS version that is not a finding: 1.2 (default) or 1.3. The probe still "
                    + "negotiates older versions where this JVM allows, to see and report an old server.")
    private String minTls;
    @Option(names = "--tls-policy", paramLabel = "POLICY",
            description = "How the certificate is judged: verify (a bad certificate fails), opportunistic (a bad "
                    + "certificate is a finding), domain (the domain's MTA-STS and DANE decide). Default: domain for "
                    + "--mx on port 25, verify otherwise.")
    private String tlsPolicy;

    @Option(names = "--dnssec-trust-ad", description = "Declare the resolvers DNSSEC-validating and trust their AD "
            + "flag, so that DANE TLSA records apply (--tls-policy domain).")
    private boolean dnssecTrustAd;

    @Option(names = "--dnssec-validate", description = "Validate DNSSEC locally (from the root's trust anchors, or "
            + "--dnssec-trust-anchors), so that DANE TLSA records apply; the resolvers need only pass DNSSEC records.")
    private boolean dnssecValidate;

    @Option(names = "--dnssec-trust-anchors", paramLabel = "FILE", description = "With --dnssec-validate: the DS or "
            + "DNSKEY records (zone-file format, at most 64 KiB) to validate from instead of the root's.")
    private Path dnssecTrustAnchors;

    @Option(names = "--demo", description = "Run the built-in demo: the field guides' cases against scripted SMTP "
            + "and DNS servers on 127.0.0.1 (no other network), each diagnosed. Exits 0 when every case is diagnosed "
            + "as expected.")
    private boolean demo;

    @Option(names = "--json", description = "Print the whole result as JSON (for scripts and monitoring).")
    private boolean json;

    @Option(names = "--report", description = "Print the escalation report to paste in a ticket.")
    private boolean report;

    @Option(names = "--transcript", description = "Add the SMTP transcript (credentials redacted) to the human output.")
    private boolean transcript;

    @Option(names = {"-v", "--verbose"}, description = "Log the library's debug messages to stderr.")
    private boolean verbose;

    @Mixin
    private final OperatorOptions operator = new OperatorOptions();

    private final PrintWriter out;
    private final PrintWriter err;
    private char[] password = new char[0];
    private ProxyConfig proxy;
    private final Map<String, String> env;
    private final Style style;

    SmtpProbeCli(PrintWriter out, PrintWriter err, Map<String, String> env, Style style) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.style = style;
    }

    /** Runs the command and exits with its {@link ExitCode}. */
    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true);
        Map<String, String> env = System.getenv();
        int status = execute(args, out, err, env, Style.detect(env));
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Parses {@code args}, runs, and returns the exit status; never throws and never calls {@code exit}. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Style style) {
        CommandLine cli = new CommandLine(new SmtpProbeCli(out, err, env, style));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE.code());
        cli.getCommandSpec().exitCodeOnExecutionException(ExitCode.INTERNAL.code());
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        cli.setParameterExceptionHandler((e, arguments) -> {
            // One line, no usage dump: the error is what the user needs to see.
            e.getCommandLine().getErr().println("smtp-probe: " + e.getMessage() + " (see smtp-probe --help)");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("smtp-probe: internal error: " + describe(e));
            if (((SmtpProbeCli) commandLine.getCommand()).verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return ExitCode.INTERNAL.code();
        });
        int status;
        try {
            status = cli.execute(args);
        } catch (RuntimeException | Error e) { // an Error (e.g. a failed class initialiser) escapes picocli's handler
            err.println("smtp-probe: internal error: " + describe(e));
            status = ExitCode.INTERNAL.code();
        }
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        configureLogging();
        try {
            Integer generated = operator.printGenerated(spec.commandLine(), out);
            if (generated != null) {
                return generated;
            }
            operator.check(ports != null, batchFile != null);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (json && report) {
            throw usage("choose one of --json and --report");
        }
        if (demo) {
            if (host != null) {
                throw usage("--demo takes no HOST: it runs its own servers on 127.0.0.1");
            }
            return new Demo(out, err, style).run(output());
        }
        int targets = (host != null ? 1 : 0) + (mxDomain != null ? 1 : 0) + (batchFile != null ? 1 : 0)
                + (mailPropertiesFile != null ? 1 : 0) + (springConfigFile != null ? 1 : 0);
        if (targets == 0) {
            throw usage("missing HOST; try smtp-probe --demo");
        }
        if (targets > 1) {
            throw usage("give one of HOST, --mx DOMAIN, --batch FILE, --mail-properties FILE and --spring-config FILE");
        }
        if (concurrency != null && batchFile == null) {
            throw usage("--concurrency goes with --batch");
        }
        try {
            if (batchFile != null) {
                return new BatchCommand(this, out, err, style).run(batchFile, concurrency, output());
            }
            if (mailPropertiesFile != null || springConfigFile != null) {
                SmtpProbe probe = configureFromMailConfig();
                ProbeResult result = probe.run();
                // The result carries the findings, with any certificate only the configured trust accepted.
                printWithFindings(result);
                return operator.exitCode(result).code();
            }
            SmtpProbe probe = mxDomain != null ? configureMx(mxDomain, ProbeListener.NONE) : configure(host);
            ProbeResult result = probe.run();
            print(result);
            return operator.exitCode(result).code();
        } finally {
            Arrays.fill(password, '\0'); // the probes kept their own copies only as long as they needed them
        }
    }

    /** Builds the probe of HOST[:PORT] from the options; every bad value becomes a usage error before any output. */
    private SmtpProbe configure(String target) {
        String[] hostAndPort = splitHostPort(target);
        try {
            SmtpProbe.Builder builder = SmtpProbe.to(hostAndPort[0]);
            if (hostAndPort[1] != null) {
                if (port != null || ports != null) {
                    throw usage("the port is given twice: in HOST and with --port/--ports");
                }
                builder.port(parsePortOrUsage(hostAndPort[1]));
            }
            return applyOptions(builder).build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Builds the probe an application makes from its mail configuration ({@code --mail-properties} or
     * {@code --spring-config}), then applies the options given too. The user the configuration authenticates as is
     * used unless {@code --auth} names another; the password comes as for {@code --auth}. {@code mail.smtp.from}
     * is the envelope sender of {@code --rcpt} unless {@code --from} is given.
     */
    private SmtpProbe configureFromMailConfig() {
        String option = mailPropertiesFile != null ? "--mail-properties" : "--spring-config";
        Properties mail;
        try {
            mail = mailPropertiesFile != null ? MailConfigFiles.mailProperties(mailPropertiesFile)
                    : MailConfigFiles.springConfig(springConfigFile, env);
        } catch (IOException | YAMLException | IllegalArgumentException e) {
            // One line: a YAML error spans several (the problem, then the line with a caret under it).
            throw usage(option + ": " + String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " "));
        }
        try {
            SmtpProbe.Builder builder = SmtpProbe.fromMailProperties(mail);
            if (authUser == null) {
                authUser = MailConfigFiles.user(mail).orElse(null);
            }
            if (recipients != null && from == null) {
                from = mail.getProperty("mail." + mail.getProperty("mail.transport.protocol", "smtp") + ".from");
            }
            return applyOptions(builder).build();
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    /** Builds the probe of a mail domain (MX resolution) from the options, reporting to {@code listener}. */
    SmtpProbe configureMx(String domain, ProbeListener listener) {
        if (domain.isBlank()) {
            throw usage("the DOMAIN must not be empty");
        }
        try {
            return applyOptions(SmtpProbe.mx(domain.strip())).listener(listener).build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Applies the options every probe shares (port, TLS, timeouts, identity, envelope, credentials, trust).
     *
     * @throws IllegalArgumentException from the builder, naming the bad value
     */
    private SmtpProbe.Builder applyOptions(SmtpProbe.Builder builder) {
        if (port != null && ports != null) {
            throw usage("give one of --port and --ports");
        }
        if (port != null) {
            builder.port(port);
        }
        if (ports != null) {
            builder.ports(ports.stream().mapToInt(Integer::intValue).toArray());
        }
        if (resolvers != null) {
            resolvers.forEach(builder::resolver);
        }
        if (tls != null) {
            builder.tls(tls);
        }
        if (timeout != null) {
            builder.connectTimeout(timeout).greetingTimeout(timeout).replyTimeout(timeout)
                    .deadline(min(timeout.multipliedBy(6), SmtpProbe.MAX_TIMEOUT));
        }
        if (ehloName != null) {
            builder.ehloName(ehloName);
        }
        if (knownReplies != null) {
            try {
                builder.knownReplies(knownReplies);
            } catch (IllegalArgumentException e) {
                throw usage("--known-replies: " + e.getMessage());
            }
        }
        if (greylistRetry != null) {
            try {
                builder.greylistRetry(greylistRetry);
            } catch (IllegalArgumentException e) {
                throw usage("--greylist-retry: " + e.getMessage());
            }
        }
        if (sourceAddress != null) {
            builder.sourceAddress(sourceAddress);
        }
        if (recipients != null || from != null) {
            if (recipients == null || from == null) {
                throw usage("--rcpt and --from go together: the envelope needs a sender and a recipient");
            }
            builder.envelope(from, recipients);
        }
        if (caFile != null) {
            if (!Files.isReadable(caFile)) {
                throw usage("--cafile: cannot read " + caFile);
            }
            try {
                builder.trustedCertificates(caFile); // reads at most 4 MiB: /dev/zero is an error, not a hang
            } catch (IllegalArgumentException e) {
                throw usage("--cafile: " + e.getMessage());
            }
        }
        if (tlsName != null) {
            try {
                builder.tlsServerName(tlsName);
            } catch (IllegalArgumentException e) {
                throw usage("--tls-name: " + e.getMessage());
            }
        }
        if (minTls != null) {
            try {
                builder.minTlsVersion(minTls);
            } catch (IllegalArgumentException e) {
                throw usage("--min-tls: " + e.getMessage());
            }
        }
        if (tlsPolicy != null) {
            try {
                builder.tlsPolicy(dev.smtpprobe.TlsPolicy.valueOf(tlsPolicy.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw usage("--tls-policy: expected verify, opportunistic or domain, not '" + tlsPolicy + "'");
            }
        }
        if (dnssecTrustAd) {
            builder.dnssec(dev.smtpprobe.DnssecMode.TRUST_AD);
        }
        DnssecOptions.apply(builder, dnssecTrustAd, dnssecValidate, dnssecTrustAnchors, this::usage);
        if (proxyUri != null) {
            if (proxy == null) {
                try {
                    proxy = ProxyOption.parse(proxyUri, env, System::console); // asked once for a whole batch
                } catch (IllegalArgumentException e) {
                    throw usage(e.getMessage());
                }
            }
            builder.proxy(proxy);
        }
        operator.apply(builder);
        if (authUser != null) { // last: every other value is checked before anyone is asked for a password
            if (password.length == 0) {
                password = password(authUser); // asked once, shared by every probe of a batch
            }
            builder.auth(authUser, password);
        }
        return builder;
    }

    /**
     * The password for {@code --auth}: from {@link #PASSWORD_VARIABLE}, else typed on the terminal without echo.
     * Never from argv, where every user of the machine can read it ({@code ps}).
     */
    private char[] password(String user) {
        String fromEnvironment = env.get(PASSWORD_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw usage("--auth needs the password in the environment variable " + PASSWORD_VARIABLE
                    + ", or a terminal to type it on");
        }
        char[] typed = console.readPassword("Password for %s: ", user);
        if (typed == null || typed.length == 0) {
            throw usage("no password given for --auth " + user);
        }
        return typed;
    }

    /** {@code [host, port-or-null]}; rejects an empty host and characters no host name or address has. */
    private String[] splitHostPort(String target) {
        String text = target.strip();
        if (text.isEmpty()) {
            throw usage("HOST must not be empty");
        }
        if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '/' || c == '@')) {
            throw usage("HOST must be a host name or an IP address, not '" + target + "'");
        }
        if (text.indexOf(':') == text.lastIndexOf(':') || text.startsWith("[")) {
            // At most one colon (host:port), or a bracketed IPv6 literal: a port may follow.
            Matcher m = HOST_PORT.matcher(text);
            if (!m.matches()) {
                throw usage("HOST must be HOST, HOST:PORT or [IPv6]:PORT, not '" + target + "'");
            }
            String name = m.group(1) != null ? "[" + m.group(1) + "]" : m.group(2);
            return new String[] {name, m.group(3)};
        }
        return new String[] {text, null}; // a bare IPv6 address
    }

    private int parsePortOrUsage(String value) {
        try {
            return Converters.parsePort(value);
        } catch (CommandLine.TypeConversionException e) {
            throw usage(e.getMessage());
        }
    }

    private Output output() {
        return json ? Output.JSON : report ? Output.REPORT : transcript ? Output.HUMAN_WITH_TRANSCRIPT : Output.HUMAN;
    }

    private void print(ProbeResult result) {
        Output output = output();
        switch (output) {
            case JSON -> out.println(Json.write(result));
            case REPORT -> out.print(result.report());
            case HUMAN, HUMAN_WITH_TRANSCRIPT ->
                    out.print(new HumanFormat(style).render(result, output == Output.HUMAN_WITH_TRANSCRIPT));
        }
        if (showCerts && output != Output.JSON) {
            out.print(CertsFormat.render(result));
        }
        out.flush();
    }

    /**
     * The result's configuration findings first, then the result, in the chosen output (the JSON and the report put
     * them first themselves).
     */
    private void printWithFindings(ProbeResult result) {
        Output output = output();
        String source = String.valueOf(mailPropertiesFile != null ? mailPropertiesFile : springConfigFile);
        switch (output) {
            case JSON -> out.println(Json.write(result));
            case REPORT -> out.print(result.report());
            case HUMAN, HUMAN_WITH_TRANSCRIPT -> out.print(FindingsFormat.human(result.configFindings(), source, style)
                    + new HumanFormat(style).render(result, output == Output.HUMAN_WITH_TRANSCRIPT));
        }
        out.flush();
    }

    /**
     * The CLI owns the slf4j binding: silent except errors unless {@code -v}. Set before the first logger is made,
     * and only when the user did not choose with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel}.
     */
    private void configureLogging() {
        String key = "org.slf4j.simpleLogger.defaultLogLevel";
        if (System.getProperty(key) == null) {
            System.setProperty(key, verbose ? "debug" : "error");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    /** The error and, when it wraps another, the root cause: the line a bug report needs. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " (caused by " + root + ")";
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The version from the jar's manifest or the build's resource ({@link VersionInfo}). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return VersionInfo.lines();
        }
    }
}
