package io.s3d.access.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 CIDR block ({@code 192.0.2.0/24}, {@code 2001:db8::/32}; a bare address is a /32 or /128). */
record IpRange(byte[] network, int prefix) {
    /** The range {@code text} names, empty when it is no address or block. */
    static Optional<IpRange> parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        Optional<byte[]> bytes = address(address);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int bits = bytes.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new IpRange(bytes.get(), prefix));
    }

    /**
     * The bytes of a literal address, never a name lookup: only digits, dots, hex digits and colons
     * get to {@link InetAddress#getByName}, which then parses instead of resolving.
     */
    static Optional<byte[]> address(String text) {
        if (text.isEmpty() || !text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")
                || (text.indexOf(':') < 0 && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** True when {@code address} (a literal; an IPv4-mapped IPv6 address counts as IPv4) is in the block. */
    boolean contains(String address) {
        Optional<byte[]> bytes = address(address);
        if (bytes.isEmpty()) {
            return false;
        }
        byte[] candidate = bytes.get();
        if (candidate.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** A block of every address ({@code 0.0.0.0/0}, {@code ::/0}): no narrowing at all. */
    boolean everything() {
        return prefix == 0;
    }
}
