package dev.pulse.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on the loopback address, where every server of the local runtime listens. */
public final class LocalPorts {
    public static final String HOST = "127.0.0.1";

    private LocalPorts() {}

    /** A port free right now (another process may take it before it is used: good enough on a laptop). */
    public static int free() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /**
     * Fails with a message the user can act on when the port is taken, instead of a bind error deep in a server.
     *
     * @param hint what to do about it, e.g. "choose another with --ui-port"
     */
    static void requireFree(int port, String hint) {
        try (ServerSocket probe = new ServerSocket()) {
            // as the servers themselves bind: connections of a recent run still in TIME_WAIT do not count as
            // "in use", a socket listening on the port (on any address) does
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + HOST + " is already in use; " + hint);
        }
    }
}
