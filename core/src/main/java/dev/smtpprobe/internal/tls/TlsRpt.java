package dev.smtpprobe.internal.tls;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain's TLS-RPT record (RFC 8460 §3): where it wants reports of TLS failures.
 *
 * @param rua the report destinations, {@code mailto:} or {@code https:} URIs, in the record's order
 */
public record TlsRpt(List<URI> rua) {

    public TlsRpt {
        rua = List.copyOf(rua);
    }

    /**
     * Reads {@code _smtp._tls.<domain>}. Records that do not begin with {@code v=TLSRPTv1} are ignored; when not
     * exactly one remains, or it names no {@code mailto:} or {@code https:} destination, the domain does not
     * implement TLS-RPT (RFC 8460 §3) and the result is empty.
     *
     * @param domain the mail domain
     * @param dns    reads the TXT record
     * @return the record, or empty when the domain publishes none that is usable
     * @throws TxtLookup.TxtLookupException when the lookup got no answer
     * @throws IllegalArgumentException     when {@code domain} is blank or {@code dns} is null
     */
    public static Optional<TlsRpt> read(String domain, TxtLookup dns) throws TxtLookup.TxtLookupException {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("domain must not be blank");
        }
        if (dns == null) {
            throw new IllegalArgumentException("dns must not be null");
        }
        String d = domain.strip().toLowerCase(Locale.ROOT);
        d = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        List<String> records = new ArrayList<>();
        for (String r : dns.txt("_smtp._tls." + d)) {
            String[] fields = r.split(";", 2);
            if (fields[0].replace(" ", "").replace("\t", "").equals("v=TLSRPTv1")) {
                records.add(r);
            }
        }
        if (records.size() != 1) {
            return Optional.empty();
        }
        List<URI> rua = new ArrayList<>();
        String[] fields = records.get(0).split(";");
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            int eq = field.indexOf('=');
            if (eq > 0 && field.substring(0, eq).strip().equals("rua")) {
                for (String uri : field.substring(eq + 1).split(",")) {
                    destination(uri.strip()).ifPresent(rua::add);
                }
                break;
            }
        }
        return rua.isEmpty() ? Optional.empty() : Optional.of(new TlsRpt(rua));
    }

    private static Optional<URI> destination(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals("mailto") || scheme.equals("https") ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
