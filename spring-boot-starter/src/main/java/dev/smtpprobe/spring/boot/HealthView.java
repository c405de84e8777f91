package dev.smtpprobe.spring.boot;

import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.Hint;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.Verdict;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A monitor's snapshot as a health status and details, the same for every Spring Boot line (each line's
 * health contributor only wraps this in its own types).
 *
 * <ul>
 *   <li>{@code UP}: the latest probe's verdict is {@code OK}.</li>
 *   <li>{@code UNKNOWN}: no probe has ended yet, or the server answered with a transient rejection (a 4xx such as
 *       greylisting or "421 too busy"): mail may well go out on the next try, so this is not an outage.</li>
 *   <li>{@code DOWN}: any other verdict, or no probe at all because the host property names no host that can be
 *       probed (details {@code target}, {@code configFindings} with that property's {@code HOST_UNUSABLE} finding,
 *       and {@code state}).</li>
 * </ul>
 *
 * <p>Details: {@code target}, {@code configFindings} (what is wrong or risky in {@code spring.mail.*}, each with
 * {@code code}, {@code key}, {@code value}, {@code why} and {@code fix}; empty when nothing is), {@code verdict}, {@code layer}, {@code phase}, {@code detail}, {@code nextAction},
 * {@code remote} (when an attempt connected or was made), {@code elapsedMs}, {@code hints} (each with {@code code},
 * {@code message} and {@code evidence}), {@code certificateDaysToExpiry} (after TLS), {@code checkedAt} and
 * {@code refreshing}; before the first result only {@code target}, {@code state} and {@code refreshing}. No detail
 * contains a credential: the probe redacts them.
 */
record HealthView(String status, Map<String, Object> details) {

    static final String UP = "UP";
    static final String DOWN = "DOWN";
    static final String UNKNOWN = "UNKNOWN";

    /**
     * The monitor's health: {@code DOWN} with {@code target}, {@code configFindings} (the unusable host property as
     * a finding with code {@code HOST_UNUSABLE}) and {@code state} when the configuration names no server that can
     * be probed; else {@link #of(SmtpProbeMonitor.Snapshot, String)} of its snapshot.
     */
    static HealthView of(SmtpProbeMonitor monitor) {
        MailTargetProblem problem = monitor.problem();
        if (problem == null) {
            return of(monitor.snapshot(), monitor.target());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("target", problem.value());
        details.put("configFindings", List.of(problem.asFinding()));
        details.put("state", "not probed: " + problem.key() + " names no mail server that can be reached");
        return new HealthView(DOWN, details);
    }

    static HealthView of(SmtpProbeMonitor.Snapshot snapshot, String target) {
        Map<String, Object> details = new LinkedHashMap<>();
        ProbeResult result = snapshot.result();
        if (result == null) {
            details.put("target", target);
            details.put("state", "the first probe has not ended yet");
            details.put("refreshing", snapshot.refreshing());
            return new HealthView(UNKNOWN, details);
        }
        details.put("target", result.target());
        details.put("configFindings", result.configFindings().stream().map(HealthView::finding).toList());
        details.put("verdict", result.verdict().name());
        details.put("layer", result.layer().name());
        details.put("phase", result.phase().name());
        details.put("detail", result.detail());
        details.put("nextAction", result.verdict().nextAction());
        InetSocketAddress remote = result.remoteAddress();
        if (remote != null && remote.getAddress() != null) {
            details.put("remote", remote.getAddress().getHostAddress() + ":" + remote.getPort());
        }
        details.put("elapsedMs", result.elapsed().toMillis());
        details.put("hints", result.hints().stream().map(HealthView::hint).toList());
        CertificateInfo leaf = leaf(result);
        if (leaf != null) {
            details.put("certificateDaysToExpiry", leaf.daysToExpiry());
        }
        details.put("checkedAt", snapshot.checkedAt().toString());
        details.put("refreshing", snapshot.refreshing());
        return new HealthView(status(result.verdict()), details);
    }

    static String status(Verdict verdict) {
        if (verdict.isOk()) {
            return UP;
        }
        return verdict == Verdict.SMTP_TRANSIENT_REJECTION ? UNKNOWN : DOWN;
    }

    /** The server's certificate of the deciding attempt, or {@code null} when TLS was not reached. */
    static CertificateInfo leaf(ProbeResult result) {
        return result.tls() == null ? null : result.tls().leaf();
    }

    /** A configuration finding; its value is masked already where it is a secret. */
    private static Map<String, Object> finding(ConfigFinding finding) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", finding.code().name());
        m.put("key", finding.key());
        m.put("value", finding.value());
        m.put("why", finding.why());
        m.put("fix", finding.fix());
        return m;
    }

    private static Map<String, Object> hint(Hint hint) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", hint.code().name());
        m.put("message", hint.message());
        m.put("evidence", List.copyOf(hint.evidence()));
        return m;
    }
}
