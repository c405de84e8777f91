package dev.smtpprobe.internal.mail;

import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.internal.Hints;
import java.util.List;

/** Whether the application runs in a container, as the facts of its {@link HostEnvironment} say. Pure. */
final class Containers {

    private Containers() {
    }

    /**
     * The facts that say so: the hints' container evidence ({@code /.dockerenv}, {@code /run/.containerenv}, the
     * cgroup of process 1, Docker mounts) and, for Kubernetes, {@code KUBERNETES_SERVICE_HOST}; empty on a plain host.
     */
    static List<String> evidence(HostEnvironment environment) {
        List<String> evidence = Hints.containerEvidence(environment);
        if (environment.variable("KUBERNETES_SERVICE_HOST").isPresent()) {
            evidence.add("KUBERNETES_SERVICE_HOST is set");
        }
        return List.copyOf(evidence);
    }
}
