package io.s3d.bench.wan;

/** What a cut link does to connections that are already open. */
public enum CutMode {
    /**
     * Open connections stay open but nothing moves in either direction until the link is
     * restored, as when an uplink drops and TCP keeps retransmitting; bytes in flight are then
     * delivered. Clients see a stall and, if they have one, their read timeout.
     */
    STALL,
    /** Open connections are reset at once (RST), as when a NAT or firewall on the path loses its state. */
    RESET
}
