package dev.smtpprobe.testkit.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on loopback for tests: UDP and TCP on one ephemeral port, answering from
 * zone data the test sets, with per-name failure behaviours. Built on dnsjava's message classes.
 *
 * <pre>{@code
 * try (MockDnsServer dns = MockDnsServer.start()) {
 *     dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "127.0.0.2");
 *     dns.behave("broken.example", MockDnsServer.Behaviour.SERVFAIL);
 *     // point the resolver under test at dns.address(), then:
 *     assertThat(dns.queries()).contains(new MockDnsServer.Query("example.com", "MX", Protocol.UDP));
 * }
 * }</pre>
 *
 * <p>Answers follow what an authoritative server says: the records of the asked type (following CNAMEs held in
 * the zone), NODATA (NOERROR, no answer, an SOA in the authority section) for a name that exists without
 * records of that type, NXDOMAIN for a name that does not exist. A name exists when it owns records, was
 * declared with {@link #exists(String)}, or has a descendant that does (an empty non-terminal).
 *
 * <p>Every query is recorded ({@link #queries()}). The server runs on daemon threads; {@link #close()} stops
 * them all and releases both sockets. This class is threadsafe: zone data may change while queries arrive.
 */
public final class MockDnsServer implements AutoCloseable {

    /** What the server does when asked about a name. */
    public enum Behaviour {
        /** Answer from the zone data (the default). */
        ANSWER,
        /** Answer NXDOMAIN, whatever the zone holds. */
        NXDOMAIN,
        /** Answer SERVFAIL (the server could not resolve, e.g. a broken DNSSEC chain or a lame delegation). */
        SERVFAIL,
        /** Answer REFUSED (policy: the server does not serve this client or name). */
        REFUSED,
        /** Never answer: the query is read and dropped, so the client times out. */
        SILENT,
        /** Over UDP, answer with the TC flag and no records, forcing a retry over TCP; over TCP, answer normally. */
        TRUNCATE,
        /** Answer with bytes that are not a DNS message for the query (a hostile or broken server). */
        GARBAGE
    }

    /** What {@link Behaviour#GARBAGE} sends: not a response to any query (wrong ID, no QR flag, truncated). */
    private static final byte[] GARBAGE_BYTES = "\u0000\u0000 not DNS at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The transport a query arrived on. */
    public enum Protocol {
        /** A UDP datagram. */
        UDP,
        /** A TCP connection, the query framed by its two-byte length. */
        TCP
    }

    /**
     * A query the server received.
     *
     * @param name     the name asked, lower case, without the trailing dot
     * @param type     the type mnemonic, e.g. {@code MX}, {@code AAAA}
     * @param protocol UDP or TCP
     */
    public record Query(String name, String type, Protocol protocol) {
        /**
         * Checks that no component is null.
         *
         * @param name the name asked, lower case, without the trailing dot
         * @param type the type mnemonic, e.g. {@code MX}
         * @param protocol UDP or TCP
         */
        public Query {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    /** Records without an explicit TTL get this many seconds. */
    public static final long DEFAULT_TTL = 300;

    private static final int ANY_TYPE = -1;
    private static final int MAX_CNAME_CHAIN = 8;
    /** A client without EDNS accepts at most 512 bytes over UDP (RFC 1035 §4.2.1). */
    private static final int CLASSIC_UDP_SIZE = 512;
    private static final int OUR_EDNS_SIZE = 1232;
    private static final int TCP_IDLE_MILLIS = 5_000;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final InetSocketAddress address;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Set<Name> declared = ConcurrentHashMap.newKeySet();
    private final Map<Name, Map<Integer, Behaviour>> behaviours = new ConcurrentHashMap<>();
    private final Set<Name> authenticated = ConcurrentHashMap.newKeySet();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final ExecutorService threads;
    private volatile long ttl = DEFAULT_TTL;
    private volatile boolean closed;

    private MockDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        this.address = new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mock-dns-" + address.getPort());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::serveUdp);
        threads.execute(this::acceptTcp);
    }

    /**
     * Starts a server on 127.0.0.1, UDP and TCP on the same ephemeral port.
     *
     * @return a running server with an empty zone; close it when done
     */
    public static MockDnsServer start() {
        return start(InetAddress.getLoopbackAddress());
    }

    /**
     * Starts a server on a loopback address (e.g. 127.0.0.53), UDP and TCP on the same ephemeral port.
     *
     * @param bindAddress the loopback address to bind UDP and TCP on
     * @return a running server with an empty zone; close it when done
     * @throws IllegalArgumentException when {@code bindAddress} is not a loopback address
     */
    public static MockDnsServer start(InetAddress bindAddress) {
        if (bindAddress == null || !bindAddress.isLoopbackAddress()) {
            throw new IllegalArgumentException("bindAddress must be a loopback address: " + bindAddress);
        }
        IOException last = null;
        // The UDP port is ephemeral; the TCP bind to the same number may lose a race with another process.
        for (int i = 0; i < 20; i++) {
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(new InetSocketAddress(bindAddress, udp.getLocalPort()), 50);
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                return new MockDnsServer(udp, tcp);
            } catch (IOException e) {
                last = e;
                if (udp != null) {
                    udp.close();
                }
            }
        }
        throw new UncheckedIOException("could not bind UDP and TCP on one port at " + bindAddress, last);
    }

    /**
     * A resolver address that never answers: a bound UDP socket on 127.0.0.1 that reads every query and drops it.
     * Close it when done.
     *
     * @return a bound socket that swallows every query; its address is the resolver to configure
     */
    public static BlackHole blackHole() {
        return BlackHole.start();
    }

    /** {@return the address (127.0.0.1 and the port) to send queries to, UDP or TCP} */
    public InetSocketAddress address() {
        return address;
    }

    /** {@return the bound address as text, e.g. {@code 127.0.0.1}} */
    public String host() {
        return address.getAddress().getHostAddress();
    }

    /** {@return the port, the same for UDP and TCP} */
    public int port() {
        return address.getPort();
    }

    // ---- zone data ----------------------------------------------------------------------------------------------

    /**
     * The TTL, in seconds, of the records added after this call (default {@value #DEFAULT_TTL}).
     *
     * @param seconds the TTL in seconds, 0 to 2^31-1
     * @return this server
     */
    public MockDnsServer ttl(long seconds) {
        if (seconds < 0 || seconds > 0x7fffffffL) {
            throw new IllegalArgumentException("ttl must be 0..2^31-1 seconds: " + seconds);
        }
        this.ttl = seconds;
        return this;
    }

    /**
     * Adds an MX record: {@code domain MX preference target}.
     *
     * @param domain the mail domain owning the record
     * @param preference the MX preference, 0 to 65535 (lower is tried first)
     * @param target the mail host name the record points to
     * @return this server
     */
    public MockDnsServer mx(String domain, int preference, String target) {
        if (preference < 0 || preference > 0xffff) {
            throw new IllegalArgumentException("preference must be 0..65535: " + preference);
        }
        Name owner = name(domain, "domain");
        return add(new MXRecord(owner, DClass.IN, ttl, preference, name(target, "target")));
    }

    /**
     * Publishes a null MX (RFC 7505): {@code domain MX 0 .}, "this domain accepts no mail".
     *
     * @param domain the mail domain that accepts no mail
     * @return this server
     */
    public MockDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain, "domain"), DClass.IN, ttl, 0, Name.root));
    }

    /**
     * Adds A records: each address must be an IPv4 literal.
     *
     * @param host the name owning the records
     * @param addresses IPv4 literals, one record each
     * @return this server
     */
    public MockDnsServer a(String host, String... addresses) {
        Name owner = name(host, "host");
        for (String a : addresses) {
            add(new ARecord(owner, DClass.IN, ttl, literal(a, Address.IPv4)));
        }
        return this;
    }

    /**
     * Adds AAAA records: each address must be an IPv6 literal.
     *
     * @param host the name owning the records
     * @param addresses IPv6 literals, one record each
     * @return this server
     */
    public MockDnsServer aaaa(String host, String... addresses) {
        Name owner = name(host, "host");
        for (String a : addresses) {
            add(new AAAARecord(owner, DClass.IN, ttl, literal(a, Address.IPv6)));
        }
        return this;
    }

    /**
     * Adds a PTR record for an address: {@code 1.0.0.127.in-addr.arpa PTR name} for {@code 127.0.0.1}, or the
     * {@code ip6.arpa} name of an IPv6 address (the reverse lookup of a connected address).
     *
     * @param address the IPv4 or IPv6 literal whose reverse name owns the record
     * @param name the host name the record points to
     * @return this server
     * @throws IllegalArgumentException naming the argument when {@code address} is not an IP literal or
     *                                  {@code name} is not a DNS name
     */
    public MockDnsServer ptr(String address, String name) {
        InetAddress ip;
        if (address != null && Address.isDottedQuad(address)) {
            ip = literal(address, Address.IPv4);
        } else {
            ip = literal(address, Address.IPv6);
        }
        return add(new PTRRecord(ReverseMap.fromAddress(ip), DClass.IN, ttl, name(name, "name")));
    }

    /**
     * Adds a CNAME: {@code alias CNAME target}.
     *
     * @param alias the name owning the CNAME
     * @param target the canonical name it points to
     * @return this server
     */
    public MockDnsServer cname(String alias, String target) {
        return add(new CNAMERecord(name(alias, "alias"), DClass.IN, ttl, name(target, "target")));
    }

    /**
     * Adds one TXT record owning {@code strings} as its character-strings, in order (a long value is published as
     * several strings of at most 255 bytes each, which a reader concatenates).
     *
     * @param name the name owning the record
     * @param strings one or more character-strings of at most 255 characters each
     * @return this server
     */
    public MockDnsServer txt(String name, String... strings) {
        if (strings == null || strings.length == 0) {
            throw new IllegalArgumentException("strings must hold at least one string");
        }
        for (String s : strings) {
            if (s == null || s.length() > 255) {
                throw new IllegalArgumentException("strings must each be 0..255 characters");
            }
        }
        return add(new TXTRecord(name(name, "name"), DClass.IN, ttl, List.of(strings)));
    }

    /**
     * Declares that a name exists without records, so that every query for it gets NODATA, not NXDOMAIN.
     *
     * @param name the name to declare
     * @return this server
     */
    public MockDnsServer exists(String name) {
        declared.add(name(name, "name"));
        return this;
    }

    /**
     * Adds a TLSA record (RFC 6698): {@code owner TLSA usage selector matchingType data}, where {@code owner} is
     * the full name, e.g. {@code _25._tcp.mx.example.net}. Fields are not checked against the registries, so
     * records a client must ignore can be served too.
     *
     * @param owner the full owner name, e.g. {@code _25._tcp.mx.example.net}
     * @param usage the certificate usage field, 0 to 255 (3 is DANE-EE)
     * @param selector the selector field, 0 to 255 (0 full certificate, 1 public key)
     * @param matchingType the matching type field, 0 to 255 (0 exact, 1 SHA-256, 2 SHA-512)
     * @param data the certificate association data, not empty; copied
     * @return this server
     * @throws IllegalArgumentException naming the argument when a field is outside 0..255 or the data is empty
     */
    public MockDnsServer tlsa(String owner, int usage, int selector, int matchingType, byte[] data) {
        octet(usage, "usage");
        octet(selector, "selector");
        octet(matchingType, "matchingType");
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("data must not be null or empty");
        }
        return add(new TLSARecord(name(owner, "owner"), DClass.IN, ttl, usage, selector, matchingType, data.clone()));
    }

    /**
     * Makes answers about {@code name} (records, NODATA or NXDOMAIN) carry the AD flag, as a validating resolver
     * sets it for data it has authenticated with DNSSEC (RFC 4035 §3.2.3). Answers about other names never carry
     * it, and neither does a SERVFAIL. No signatures are served: the flag is what a client trusting its resolver
     * reads.
     *
     * @param name the name whose answers carry the AD flag
     * @return this server
     */
    public MockDnsServer authenticated(String name) {
        authenticated.add(name(name, "name"));
        return this;
    }

    /**
     * Adds pre-built records as they are, e.g. the DNSKEY, RRSIG, DS or NSEC records of a zone a test signed with
     * dnsjava ({@code DNSSEC.sign}). An RRSIG is served, next to the RRset it covers (same owner, its type covered),
     * only to a query with the EDNS DO bit (RFC 4035 §3.1.1), as a signed authoritative server does; a query for
     * type RRSIG gets them all.
     *
     * @param records the records, served as they are (owner names in canonical form)
     * @return this server
     * @throws IllegalArgumentException naming {@code records} when null or holding null
     */
    public MockDnsServer records(Record... records) {
        if (records == null) {
            throw new IllegalArgumentException("records must not be null");
        }
        for (Record r : records) {
            if (r == null) {
                throw new IllegalArgumentException("records must not hold null");
            }
            add(r.withName(r.getName().canonicalize()));
        }
        return this;
    }

    /**
     * Removes every record owned by a name (and its declaration), e.g. to model a changed zone.
     *
     * @param name the name whose records and declaration are removed
     * @return this server
     */
    public MockDnsServer remove(String name) {
        Name n = name(name, "name");
        zone.remove(n);
        declared.remove(n);
        return this;
    }

    /**
     * Sets what the server does for every query about {@code name}, whatever its type.
     *
     * @param name the name the behaviour applies to
     * @param behaviour what the server does instead of answering from the zone
     * @return this server
     */
    public MockDnsServer behave(String name, Behaviour behaviour) {
        return behave(name, null, behaviour);
    }

    /**
     * Sets what the server does for queries about {@code name} of one type (e.g. {@code "AAAA"}), or of every type
     * when {@code type} is null. A behaviour for the type wins over one for every type.
     *
     * @param name the name the behaviour applies to
     * @param type a DNS type mnemonic such as {@code "AAAA"}, or {@code null} for every type
     * @param behaviour what the server does instead of answering from the zone
     * @return this server
     */
    public MockDnsServer behave(String name, String type, Behaviour behaviour) {
        Objects.requireNonNull(behaviour, "behaviour");
        int t = ANY_TYPE;
        if (type != null) {
            t = Type.value(type);
            if (t < 0) {
                throw new IllegalArgumentException("type must be a DNS type mnemonic: " + type);
            }
        }
        behaviours.computeIfAbsent(name(name, "name"), k -> new ConcurrentHashMap<>()).put(t, behaviour);
        return this;
    }

    /** {@return every query received so far, in order of arrival} */
    public List<Query> queries() {
        return List.copyOf(queries);
    }

    /**
     * The queries received so far for one name (any case, with or without the trailing dot).
     *
     * @param name the name asked, in any case, with or without the trailing dot
     * @return the queries for that name received so far, in order of arrival (a copy)
     */
    public List<Query> queries(String name) {
        String key = key(name);
        return queries.stream().filter(q -> q.name().equals(key)).toList();
    }

    /** Forgets the queries received so far. */
    public void clearQueries() {
        queries.clear();
    }

    private MockDnsServer add(Record r) {
        zone.computeIfAbsent(r.getName(), k -> new CopyOnWriteArrayList<>()).add(r);
        return this;
    }

    private static Name name(String text, String argument) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(argument + " must not be blank");
        }
        try {
            return Name.fromString(text.strip(), Name.root).canonicalize();
        } catch (TextParseException e) {
            throw new IllegalArgumentException(argument + " is not a DNS name: " + text, e);
        }
    }

    private static void octet(int value, String argument) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException(argument + " must be 0..255: " + value);
        }
    }

    private static InetAddress literal(String text, int family) {
        byte[] bytes = text == null ? null : Address.toByteArray(text, family);
        if (bytes == null) {
            throw new IllegalArgumentException("address must be an IPv" + (family == Address.IPv4 ? "4" : "6")
                    + " literal: " + text);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address: " + text, e);
        }
    }

    private static String key(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }

    // ---- answering ----------------------------------------------------------------------------------------------

    /** The raw bytes to send for a query, or null to stay silent. */
    private byte[] respond(Message query, Protocol protocol) {
        Record question = query.getQuestion();
        if (question != null && behaviourFor(question.getName().canonicalize(), question.getType()) == Behaviour.GARBAGE) {
            queries.add(new Query(key(question.getName().canonicalize().toString()), Type.string(question.getType()),
                    protocol));
            return GARBAGE_BYTES.clone();
        }
        Message response = answer(query, protocol);
        return response == null ? null : toWire(query, response, protocol);
    }

    /** The response to a query, or null to stay silent. */
    private Message answer(Message query, Protocol protocol) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        if (question == null) {
            header.setRcode(Rcode.FORMERR);
            return response;
        }
        Name qname = question.getName().canonicalize();
        int qtype = question.getType();
        queries.add(new Query(key(qname.toString()), Type.string(qtype), protocol));
        response.addRecord(question, Section.QUESTION);
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            header.setRcode(Rcode.NOTIMP);
            return response;
        }
        Behaviour behaviour = behaviourFor(qname, qtype);
        switch (behaviour) {
            case SILENT:
                return null;
            case SERVFAIL:
                header.setRcode(Rcode.SERVFAIL);
                return response;
            case REFUSED:
                header.setRcode(Rcode.REFUSED);
                return response;
            case NXDOMAIN:
                header.setFlag(Flags.AA);
                if (authenticated.contains(qname)) {
                    header.setFlag(Flags.AD);
                }
                header.setRcode(Rcode.NXDOMAIN);
                response.addRecord(soaFor(qname), Section.AUTHORITY);
                return response;
            case TRUNCATE:
                if (protocol == Protocol.UDP) {
                    header.setFlag(Flags.AA);
                    header.setFlag(Flags.TC);
                    return response;
                }
                break;
            case GARBAGE: // handled in respond(), before a message is built
            case ANSWER:
            default:
                break;
        }
        header.setFlag(Flags.AA);
        if (authenticated.contains(qname)) {
            header.setFlag(Flags.AD);
        }
        Name current = qname;
        for (int hops = 0; hops <= MAX_CNAME_CHAIN; hops++) {
            List<Record> owned = zone.getOrDefault(current, List.of());
            Record alias = qtype == Type.CNAME ? null
                    : owned.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (alias == null) {
                List<Record> matching = owned.stream().filter(r -> r.getType() == qtype).toList();
                if (!matching.isEmpty()) {
                    matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                    addSignatures(query, owned, qtype, response);
                } else {
                    header.setRcode(existsInZone(current) ? Rcode.NOERROR : Rcode.NXDOMAIN);
                    response.addRecord(soaFor(current), Section.AUTHORITY);
                }
                return response;
            }
            response.addRecord(alias, Section.ANSWER);
            addSignatures(query, owned, Type.CNAME, response);
            current = ((CNAMERecord) alias).getTarget();
        }
        // A CNAME chain longer than any resolver follows: answer what we have, like a server with a loop.
        return response;
    }

    /** With the DO bit, the RRSIGs over the {@code type} RRset among {@code owned}, in the answer section. */
    private static void addSignatures(Message query, List<Record> owned, int type, Message response) {
        OPTRecord opt = query.getOPT();
        if (opt == null || (opt.getFlags() & ExtendedFlags.DO) == 0 || type == Type.RRSIG) {
            return;
        }
        owned.stream().filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == type)
                .forEach(r -> response.addRecord(r, Section.ANSWER));
    }

    private Behaviour behaviourFor(Name name, int type) {
        Map<Integer, Behaviour> forName = behaviours.get(name);
        if (forName == null) {
            return Behaviour.ANSWER;
        }
        Behaviour b = forName.get(type);
        return b != null ? b : forName.getOrDefault(ANY_TYPE, Behaviour.ANSWER);
    }

    private boolean existsInZone(Name name) {
        if (zone.containsKey(name) || declared.contains(name)) {
            return true;
        }
        // An empty non-terminal exists too (RFC 8020): a descendant owns records.
        for (Name owner : zone.keySet()) {
            if (owner.subdomain(name)) {
                return true;
            }
        }
        return declared.stream().anyMatch(d -> d.subdomain(name));
    }

    /** A synthetic SOA for the zone the name falls in: its last two labels (or the name itself). */
    private Record soaFor(Name name) {
        int labels = name.labels();
        // labels() counts the root label; keep two labels plus the root.
        Name apex = labels > 3 ? new Name(name, labels - 3) : name;
        try {
            Name host = Name.fromString("ns", apex);
            Name admin = Name.fromString("hostmaster", apex);
            return new SOARecord(apex, DClass.IN, ttl, host, admin, 1, 3600, 600, 86400, Math.min(ttl, 60));
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] toWire(Message query, Message response, Protocol protocol) {
        if (protocol == Protocol.TCP) {
            return response.toWire();
        }
        OPTRecord opt = query.getOPT();
        int max = CLASSIC_UDP_SIZE;
        if (opt != null) {
            max = Math.max(CLASSIC_UDP_SIZE, Math.min(opt.getPayloadSize(), OUR_EDNS_SIZE));
            response.addRecord(new OPTRecord(OUR_EDNS_SIZE, 0, 0), Section.ADDITIONAL);
        }
        // toWire(max) drops what does not fit and sets TC, as a real server does.
        return response.toWire(max);
    }

    // ---- sockets ------------------------------------------------------------------------------------------------

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            Message query;
            try {
                query = new Message(java.util.Arrays.copyOfRange(packet.getData(), packet.getOffset(),
                        packet.getOffset() + packet.getLength()));
            } catch (IOException e) {
                continue; // not a DNS message: a real server drops it too
            }
            byte[] out = respond(query, Protocol.UDP);
            if (out == null) {
                continue;
            }
            try {
                udp.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.add(socket);
            try {
                threads.execute(() -> serveTcp(socket));
            } catch (RuntimeException e) {
                closeQuietly(socket);
                return; // shutting down
            }
        }
    }

    private void serveTcp(Socket socket) {
        try (socket) {
            socket.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] wire = new byte[length];
                in.readFully(wire);
                Message query = new Message(wire);
                byte[] bytes = respond(query, Protocol.TCP);
                if (bytes == null) {
                    continue; // SILENT: keep reading, never answer
                }
                out.writeShort(bytes.length);
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            // Client gone, idle timeout or closing: nothing to report.
        } finally {
            connections.remove(socket);
        }
    }

    /** Stops both listeners and every connection; returns when the server's threads have ended (or after 2 s). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        udp.close();
        closeQuietly(tcp);
        connections.forEach(MockDnsServer::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing useful to do
        }
    }

    @Override
    public String toString() {
        return "MockDnsServer{" + host() + ":" + port() + ", names=" + zone.size() + ", queries=" + queries.size() + "}";
    }

    /**
     * A resolver address that never answers: a UDP socket on 127.0.0.1 that reads every datagram and drops it, so a
     * client sees silence (not an ICMP port-unreachable) until its timeout. Counts what it swallowed.
     */
    public static final class BlackHole implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread reader;
        private final AtomicInteger received = new AtomicInteger();

        private BlackHole(DatagramSocket socket) {
            this.socket = socket;
            this.reader = new Thread(this::drain, "mock-dns-blackhole-" + socket.getLocalPort());
            reader.setDaemon(true);
            reader.start();
        }

        static BlackHole start() {
            try {
                return new BlackHole(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void drain() {
            byte[] buffer = new byte[65535];
            while (!socket.isClosed()) {
                try {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    received.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** {@return the address to configure as a resolver} */
        public InetSocketAddress address() {
            return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
        }

        /** {@return the bound address as text} */
        public String host() {
            return socket.getLocalAddress().getHostAddress();
        }

        /** {@return the port} */
        public int port() {
            return socket.getLocalPort();
        }

        /** {@return how many datagrams were swallowed} */
        public int received() {
            return received.get();
        }

        @Override
        public void close() {
            socket.close();
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
