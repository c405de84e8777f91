package dev.smtpprobe;

/**
 * Why a server rejected the session or a command, derived from the reply's enhanced status code (RFC 3463) and
 * its text. Only set on rejections.
 */
public enum PolicyReason {
    /** The text names a blocklist: Spamhaus, "blocked using", "listed at", RBL, DNSBL. */
    BLOCKLIST,
    /** The sender's reputation: "poor reputation", 5.7.x reputation texts. */
    REPUTATION,
    /** Rate limiting: "too many connections", "try later", 4.7.0 rate texts, 421 busy. */
    RATE_LIMIT,
    /** Relaying denied, 5.7.1 "relay". */
    RELAY_DENIED,
    /** The mailbox does not exist, 5.1.1. */
    USER_UNKNOWN,
    /** Greylisting: 450 4.2.0 or 4.7.1 with "greylist". */
    GREYLISTED,
    /** The mailbox is full or over quota: 452, 4.2.2/5.2.2. */
    MAILBOX_FULL,
    /** The server insists on TLS first: 530 5.7.0 "Must issue a STARTTLS command first". */
    TLS_REQUIRED,
    /** The server insists on authentication: 530 5.7.0 "Authentication required". */
    AUTH_REQUIRED,
    /** Any other rejection. */
    OTHER
}
